package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.PrismMock;
import io.github.wechatpaypartner.conformance.support.PrismProcess;
import io.github.wechatpaypartner.conformance.support.RawCall;
import io.github.wechatpaypartner.conformance.support.SpecCalls;
import io.github.wechatpaypartner.conformance.support.Verdicts;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.spec.SpecDocument.SpecResponse;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A check on the spec's own response examples: Prism runs with {@code --errors}, so an example
 * that breaks its response schema comes back as a 500 with {@code sl-violations}. Each declared
 * response example is selected with {@code Prefer: code=NNN, example=NAME} and must come back with
 * its declared status, unchanged, without violations.
 */
@ExtendWith(PrismMock.class)
class ResponseExamplesTest {
  private final SpecDocument spec = SpecDocument.load(ModulePaths.spec());

  @TestFactory
  Stream<DynamicNode> everyResponseExampleIsServedAsDeclared(PrismProcess prism) {
    return spec.operations().values().stream()
        .map(op -> DynamicContainer.dynamicContainer(op.operationId,
        op.responses().values().stream().flatMap(response -> response.examples.isEmpty()
            ? Stream.of(DynamicTest.dynamicTest(response.status + " (no example)", () -> check(prism, op, response, null, null)))
            : response.examples.entrySet().stream().map(e -> DynamicTest.dynamicTest(response.status + " " + e.getKey(),
                () -> check(prism, op, response, e.getKey(), e.getValue()))))));
  }

  @TestFactory
  Stream<DynamicNode> everyOperationDeclaresASuccessAndErrors() {
    return spec.operations().values().stream().map(op -> DynamicTest.dynamicTest(op.operationId, () -> {
      assertTrue(op.responses().keySet().stream().anyMatch(s -> s >= 200 && s < 300), op + " declares no 2xx");
      assertTrue(op.responses().keySet().stream().anyMatch(s -> s >= 400), op + " declares no error response");
      for (SpecResponse r : op.responses().values()) {
        if (r.status >= 400) {
          assertFalse(r.examples.isEmpty(), op + " declares " + r.status + " without an example");
        }
      }
    }));
  }

  private static void check(PrismProcess prism, SpecOperation op, SpecResponse response, String name, JsonNode expected) {
    String prefer = "code=" + response.status + (name == null ? "" : ", example=" + name);
    RawCall.Result result = RawCall.to(prism.baseUri(), op).body(SpecCalls.firstExample(op)).header("Prefer", prefer).send();
    Verdicts.record(op.operationId, "Prefer: " + prefer, result.status, "n/a", result.violations);
    assertEquals(response.status, result.status, () -> "Prefer: " + prefer + " -> " + result);
    assertNull(result.violations, () -> "Prefer: " + prefer + " -> violations " + result.violations);
    if (expected != null) {
      assertEquals(expected, result.json(), "Prism did not serve the example as written");
    }
  }
}
