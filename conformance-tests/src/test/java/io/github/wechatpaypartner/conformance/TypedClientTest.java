package io.github.wechatpaypartner.conformance;

import static io.github.wechatpaypartner.conformance.support.Causes.causedBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.conformance.support.ClientHarness;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.SuiteSandbox;
import io.github.wechatpaypartner.conformance.support.SpecCalls;
import io.github.wechatpaypartner.conformance.support.SpecDrivenSuite;
import io.github.wechatpaypartner.exception.ResponseVerificationException;
import io.github.wechatpaypartner.exception.ServiceException;
import io.github.wechatpaypartner.sandbox.Fault;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.junit.SandboxExtension;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The spec-driven suite ({@link SpecDrivenSuite}) on the module's client against the sandbox (which
 * checks the signature independently and the request against the spec, with the validator the
 * suite proves equal to Prism's), for every operation of the spec through {@link SpecCalls}, with
 * no list of operations: every request example (or the body-less call with the spec's path and
 * query examples) comes back as the typed answer; every declared error example becomes the typed
 * exception with its status, code and message; every invalid body, path or query value is refused
 * before sending; the fault tables hold. And the trust checks: a bad request signature is a 401 SIGN_ERROR exception; an
 * answer whose signature is wrong is refused by the verifier.
 */
class TypedClientTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SuiteSandbox.everyOperation(s -> { });
  private static final SpecDocument SPEC = SpecDocument.load(ModulePaths.spec());
  private static ClientHarness harness;
  private static SpecDrivenSuite suite;

  @BeforeAll
  static void start(Sandbox sandbox) {
    harness = ClientHarness.on(sandbox);
    suite = new SpecDrivenSuite(SPEC, sandbox, harness::client, SpecCalls.CLIENT, true);
  }

  @AfterEach
  void reset() {
    harness.fault(null);
  }

  @TestFactory
  Stream<DynamicNode> everyRequestExampleRoundTrips() {
    return perOperation(suite::exampleRoundTrips);
  }

  @TestFactory
  Stream<DynamicNode> everyDeclaredErrorBecomesTheTypedException() {
    return perOperation(suite::errorExamples);
  }

  @TestFactory
  Stream<DynamicNode> everyInvalidRequestIsRefusedBeforeSending() {
    return perOperation(suite::refusals);
  }

  @TestFactory
  Stream<DynamicNode> everyOperationMeetsTheFaultTable() {
    return perOperation(suite::faults);
  }

  private static Stream<DynamicNode> perOperation(Function<SpecOperation, List<DynamicNode>> checks) {
    return SPEC.operations().values().stream().map(op -> DynamicContainer.dynamicContainer(op.operationId, checks.apply(op)));
  }

  @TestFactory
  Stream<DynamicNode> badRequestSignatureIsSignError() {
    WechatPayClient forger = harness.newClient(GeneratedCredentials.rsa2048().getPrivate());
    return SPEC.operations().values().stream().map(op -> DynamicTest.dynamicTest(op.operationId, () -> {
      ServiceException error = assertThrows(ServiceException.class, () -> callFirstExample(forger, op));
      assertEquals(401, error.statusCode(), error::getMessage);
      assertEquals("SIGN_ERROR", error.errorCode(), error::getMessage);
      assertTrue(harness.sandbox.lastExchange().refusal.startsWith("SIGN_ERROR"), harness.sandbox.lastExchange()::toString);
    }));
  }

  @TestFactory
  Stream<DynamicNode> answerWithoutAGoodSignatureIsRefused() {
    SpecOperation op = SPEC.operations().values().iterator().next();
    return Stream.of(Fault.badSignature(), Fault.signTestProbe(), Fault.unknownSerial(), Fault.unsigned(),
        Fault.staleTimestamp()).map(mode -> DynamicTest.dynamicTest(mode.toString(), () -> {
          harness.sandbox.reset(); // a 2xx to bend: an unsigned error would be a gateway's, not a bad answer
          harness.fault(mode);
          try {
            callFirstExample(harness.client(), op);
            fail("an answer signed " + mode + " was accepted");
          } catch (Exception e) {
            assertTrue(causedBy(e, ResponseVerificationException.class),
                () -> mode + ": expected a ResponseVerificationException, got " + e);
          }
        }));
  }

  private static Object callFirstExample(Object client, SpecOperation op) throws Exception {
    return SpecCalls.call(client, op, SpecCalls.firstExample(op));
  }

}
