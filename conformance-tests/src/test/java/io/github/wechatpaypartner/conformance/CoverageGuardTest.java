package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.SpecCatalog;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.SpecCalls;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The suite covers what the spec has, with no list of its own: the client it tests was generated
 * from this very spec (same operations), and each operation's generated method is reachable through
 * {@link SpecCalls}, by which the spec-driven tests call every operation. (Notifications under
 * {@code x-webhooks} are not client calls.)
 */
class CoverageGuardTest {
  @Test
  void theClientUnderTestHasExactlyTheSpecsOperations() {
    assertEquals(new TreeSet<>(SpecDocument.load(ModulePaths.spec()).operations().keySet()),
        new TreeSet<>(SpecCatalog.OPERATIONS.keySet()),
        "operations in the spec (left) vs operations of the generated client (right): rebuild the client");
  }

  @Test
  void everyOperationIsReachableThroughSpecCalls() {
    for (String operationId : SpecDocument.load(ModulePaths.spec()).operations().keySet()) {
      assertNotNull(SpecCalls.CLIENT.method(WechatPayClient.class, operationId), operationId);
    }
  }
}
