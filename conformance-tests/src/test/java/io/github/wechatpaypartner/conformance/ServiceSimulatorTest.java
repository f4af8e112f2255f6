package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wechatpaypartner.conformance.support.PrismMock;
import io.github.wechatpaypartner.conformance.support.PrismProcess;
import io.github.wechatpaypartner.conformance.support.RawCall;
import io.github.wechatpaypartner.conformance.support.ServiceSimulator;
import io.github.wechatpaypartner.conformance.support.ServiceSimulator.RecordedExchange;
import io.github.wechatpaypartner.conformance.support.Signatures;
import io.github.wechatpaypartner.spec.SpecDocument;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.conformance.support.TestCredentials;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The simulator itself, driven by raw requests signed with the test's own signer: a good signature
 * is forwarded to Prism and the answer comes back signed by the WeChat Pay test key; each way of
 * getting the signature wrong is a 401 SIGN_ERROR that never reaches Prism.
 */
@ExtendWith(PrismMock.class)
class ServiceSimulatorTest {
  private static final SpecDocument SPEC = SpecDocument.load(ModulePaths.spec());
  private static TestCredentials credentials;
  private static ServiceSimulator simulator;

  @BeforeAll
  static void start(PrismProcess prism) {
    credentials = TestCredentials.generate();
    simulator = ServiceSimulator.start(prism.baseUri(), credentials);
  }

  @AfterAll
  static void stop() {
    if (simulator != null) {
      simulator.close();
    }
  }

  @TestFactory
  Stream<DynamicNode> signedRequestIsForwardedAndTheAnswerSigned() {
    return SPEC.operations().values().stream().map(op -> DynamicTest.dynamicTest(op.operationId, () -> {
      RawCall.Result result = RawCall.to(simulator.baseUri(), op).body(firstExample(op))
          .signedWith(credentials).send();
      RecordedExchange seen = simulator.lastExchange();
      assertNull(seen.signError, () -> "simulator refused a good signature: " + seen.signError);
      assertTrue(result.status >= 200 && result.status < 300, () -> "answer: " + result);
      assertNull(result.violations, "Prism saw violations: " + result.violations);
      assertEquals(op.examplePath(), seen.path);
      assertAnswerSigned(result);
    }));
  }

  @Test
  void signatureByAnotherKeyIsSignError() {
    TestCredentials impostor = TestCredentials.generate();
    SpecOperation op = anyOperation();
    RawCall call = RawCall.to(simulator.baseUri(), op).body(firstExample(op));
    String forged = Signatures.authorization(credentials.mchid, credentials.merchantSerialNo,
        impostor.merchantKeys.getPrivate(), op.method, call.pathAndQuery(), call.bodyBytes());
    assertSignError(call.header("Authorization", forged).send(), "signature");
  }

  @Test
  void bodyChangedAfterSigningIsSignError() {
    SpecOperation op = anyOperation();
    RawCall call = RawCall.to(simulator.baseUri(), op).body(firstExample(op));
    String signedForOtherBody = Signatures.authorization(credentials.mchid, credentials.merchantSerialNo,
        credentials.merchantKeys.getPrivate(), op.method, call.pathAndQuery(), "{}".getBytes(StandardCharsets.UTF_8));
    assertSignError(call.header("Authorization", signedForOtherBody).send(), "signature");
  }

  @Test
  void foreignAuthorizationSchemeIsSignError() {
    SpecOperation op = anyOperation();
    assertSignError(RawCall.to(simulator.baseUri(), op).body(firstExample(op)).header("Authorization", "Bearer x").send(),
        "scheme");
  }

  @Test
  void staleTimestampIsSignError() {
    SpecOperation op = anyOperation();
    RawCall call = RawCall.to(simulator.baseUri(), op).body(firstExample(op));
    String timestamp = Long.toString(System.currentTimeMillis() / 1000 - 600);
    String nonce = Signatures.nonce();
    String signature = Signatures.sign(credentials.merchantKeys.getPrivate(), Signatures.requestMessage(op.method,
        call.pathAndQuery(), timestamp, nonce, call.bodyBytes()));
    String header = Signatures.SCHEME + " mchid=\"" + credentials.mchid + "\",nonce_str=\"" + nonce
        + "\",signature=\"" + signature + "\",timestamp=\"" + timestamp + "\",serial_no=\""
        + credentials.merchantSerialNo + "\"";
    assertSignError(call.header("Authorization", header).send(), "5 minutes");
  }

  @Test
  void unknownSerialAndMissingMchidAreSignErrors() {
    SpecOperation op = anyOperation();
    RawCall call = RawCall.to(simulator.baseUri(), op).body(firstExample(op));
    String otherSerial = Signatures.authorization(credentials.mchid, "0000000000000000000000000000000000000000",
        credentials.merchantKeys.getPrivate(), op.method, call.pathAndQuery(), call.bodyBytes());
    assertSignError(call.header("Authorization", otherSerial).send(), "serial_no");
    String noMchid = otherSerial.replace("mchid=\"" + credentials.mchid + "\",", "");
    assertSignError(call.header("Authorization", noMchid).send(), "mchid");
  }

  private static void assertSignError(RawCall.Result result, String messagePart) {
    RecordedExchange seen = simulator.lastExchange();
    assertEquals(401, result.status, () -> "answer: " + result);
    assertNotNull(seen.signError, "recorded without sign error");
    JsonNode body = result.json();
    assertEquals("SIGN_ERROR", body.path("code").asText());
    assertTrue(body.path("message").asText().contains(messagePart),
        () -> "message should name '" + messagePart + "': " + body);
    assertAnswerSigned(result);
  }

  private static void assertAnswerSigned(RawCall.Result result) {
    Map<String, java.util.List<String>> h = result.response.headers().map();
    String timestamp = result.response.headers().firstValue("Wechatpay-Timestamp").orElse(null);
    String nonce = result.response.headers().firstValue("Wechatpay-Nonce").orElse(null);
    String signature = result.response.headers().firstValue("Wechatpay-Signature").orElse(null);
    assertNotNull(signature, () -> "unsigned answer, headers " + h);
    assertEquals(credentials.wechatpayPublicKeyId, result.response.headers().firstValue("Wechatpay-Serial").orElse(null));
    assertEquals(Signatures.SCHEME, result.response.headers().firstValue("Wechatpay-Signature-Type").orElse(null));
    assertFalse(result.response.headers().firstValue("Request-ID").orElse("").isEmpty(), "no Request-ID");
    assertTrue(Signatures.verify(credentials.wechatpayKeys.getPublic(),
        Signatures.responseMessage(timestamp, nonce, result.response.body()), signature), "answer signature");
  }

  private static SpecOperation anyOperation() {
    return SPEC.operations().values().iterator().next();
  }

  private static JsonNode firstExample(SpecOperation op) {
    return op.requestExamples().values().iterator().next();
  }
}
