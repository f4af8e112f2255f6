package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.RawCall;
import io.github.wechatpaypartner.conformance.support.SpecCalls;
import io.github.wechatpaypartner.conformance.support.RequestSigning;
import io.github.wechatpaypartner.conformance.support.SuiteSandbox;
import io.github.wechatpaypartner.sandbox.RecordedExchange;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SandboxCredentials;
import io.github.wechatpaypartner.sandbox.junit.SandboxExtension;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import io.github.wechatpaypartner.signing.sign.RequestSigner;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Point 2 of the sandbox issue: every request is checked as the service checks it, driven by raw
 * requests signed with the sandbox's own signer (not the signing module): a good signature is
 * processed and the answer signed; each way of getting the signature wrong is a signed 401
 * SIGN_ERROR whose detail names the check; a replayed nonce is refused; a wrong Content-Type or
 * Accept is 400 INVALID_REQUEST naming the header; a body breaking the schema is 400 PARAM_ERROR
 * naming the field. Error codes and messages are the spec's examples.
 */
class SandboxChecksTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SuiteSandbox.perClass();
  private static final SpecDocument SPEC = SpecDocument.load(ModulePaths.spec());
  private Sandbox sandbox;
  private SandboxCredentials credentials;

  @BeforeEach
  void fresh(Sandbox sandbox) {
    this.sandbox = sandbox;
    this.credentials = sandbox.credentials();
    sandbox.reset();
  }

  @TestFactory
  Stream<DynamicNode> signedRequestIsProcessedAndTheAnswerSigned() {
    return SPEC.operations().values().stream()
        // downloadCertificates answers 404 in the default public-key mode: PlatformCertificatesTest covers it
        .filter(op -> !op.operationId.equals("downloadCertificates"))
        .map(op -> DynamicTest.dynamicTest(op.operationId, () -> {
      RawCall.Result result = call(op).signedWith(credentials).send();
      RecordedExchange seen = sandbox.lastExchange();
      assertNull(seen.refusal, () -> "the sandbox refused a good request: " + seen);
      assertTrue(result.status >= 200 && result.status < 300, () -> "answer: " + result);
      assertAnswerSigned(result);
    }));
  }

  @Test
  void signatureByAnotherKeyIsSignError() {
    SpecOperation op = anyOperation();
    RawCall call = call(op);
    assertSignError(call.header("Authorization", authorization(call, op, GeneratedCredentials.rsa2048().getPrivate(),
        call.bodyBytes())).send(), "signature");
  }

  @Test
  void bodyChangedAfterSigningIsSignError() {
    SpecOperation op = anyOperation();
    RawCall call = call(op);
    String signedForOtherBody = authorization(call, op, merchantKey(), "{}".getBytes(StandardCharsets.UTF_8));
    assertSignError(call.header("Authorization", signedForOtherBody).send(), "signature does not verify");
  }

  @Test
  void foreignAuthorizationSchemeIsSignError() {
    assertSignError(call(anyOperation()).header("Authorization", "Bearer x").send(), "scheme");
  }

  @Test
  void staleTimestampIsSignError() {
    SpecOperation op = anyOperation();
    RawCall call = call(op);
    assertSignError(call.header("Authorization", RequestSigning.authorization(credentials, merchantKey(), op.method,
        call.pathAndQuery(), call.bodyBytes(), Instant.now().minusSeconds(301), null)).send(), "5-minute window");
  }

  @Test
  void replayedNonceIsSignError() {
    SpecOperation op = anyOperation();
    RawCall call = call(op);
    String header = authorization(call, op, merchantKey(), call.bodyBytes());
    assertEquals(200, call.header("Authorization", header).send().status);
    assertSignError(call.header("Authorization", header).send(), "nonce_str");
  }

  @Test
  void unknownSerialAndMissingOrUnknownMchidAreSignErrors() {
    SpecOperation op = anyOperation();
    RawCall call = call(op);
    String good = authorization(call, op, merchantKey(), call.bodyBytes());
    String otherSerial = good.replace("serial_no=\"" + credentials.merchantSerial() + "\"",
        "serial_no=\"0000000000000000000000000000000000000000\"");
    assertSignError(call.header("Authorization", otherSerial).send(), "serial_no");
    String noMchid = otherSerial.replace("mchid=\"" + credentials.mchid() + "\",", "");
    assertSignError(call.header("Authorization", noMchid).send(), "mchid");
    String otherMchid = good.replace("mchid=\"" + credentials.mchid() + "\"", "mchid=\"1900000002\"");
    assertSignError(call.header("Authorization", otherMchid).send(), "mchid");
  }

  @Test
  void wrongContentTypeOrAcceptIsInvalidRequestNamingTheHeader() {
    SpecOperation op = anyOperation();
    assertInvalidRequest(call(op).contentType("text/plain").signedWith(credentials).send(), "Content-Type");
    assertInvalidRequest(call(op).header("Accept", "text/html").signedWith(credentials).send(), "Accept");
  }

  @Test
  void bodyBreakingTheSchemaIsParamErrorNamingTheField() {
    SpecOperation op = SPEC.operation("addStockBundle");
    JsonNode body = op.requestExamples().values().iterator().next().deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) body.get("stock_bundle")).put("remark", "x".repeat(21));
    RawCall.Result result = RawCall.to(sandbox.uri(), op).body(body).signedWith(credentials).send();
    assertEquals(400, result.status, result::toString);
    JsonNode answer = result.json();
    assertEquals(exampleOf(op, "PARAM_ERROR").path("code"), answer.path("code"));
    assertEquals(exampleOf(op, "PARAM_ERROR").path("message"), answer.path("message"));
    assertEquals("/stock_bundle/remark", answer.path("detail").path("field").asText(), answer::toString);
    assertEquals("body", answer.path("detail").path("location").asText());
    assertAnswerSigned(result);
  }

  @Test
  void pathParameterBreakingItsSchemaIsParamErrorNamingIt() {
    SpecOperation op = SPEC.operation("updateStockBudget");
    RawCall.Result result = call(op).pathParameter("stock_id", "1".repeat(41)).signedWith(credentials).send();
    assertEquals(400, result.status, result::toString);
    assertEquals("stock_id", result.json().path("detail").path("field").asText(), result::toString);
    assertEquals("path", result.json().path("detail").path("location").asText());
  }

  private RawCall call(SpecOperation op) {
    return RawCall.to(sandbox.uri(), op).body(SpecCalls.firstExample(op));
  }

  private String authorization(RawCall call, SpecOperation op, PrivateKey key, byte[] body) {
    return RequestSigning.authorization(credentials, key, op.method, call.pathAndQuery(), body, Instant.now(), null);
  }

  private PrivateKey merchantKey() {
    return credentials.merchantPrivateKey().orElseThrow();
  }

  private void assertSignError(RawCall.Result result, String issuePart) {
    RecordedExchange seen = sandbox.lastExchange();
    assertEquals(401, result.status, () -> "answer: " + result);
    assertNotNull(seen.refusal, "recorded as processed");
    JsonNode body = result.json();
    JsonNode example = exampleOf(anyOperation(), "SIGN_ERROR");
    assertEquals(example.path("code"), body.path("code"));
    assertEquals(example.path("message"), body.path("message"));
    assertTrue(body.path("detail").path("issue").asText().contains(issuePart),
        () -> "detail should name '" + issuePart + "': " + body);
    assertAnswerSigned(result);
  }

  private void assertInvalidRequest(RawCall.Result result, String header) {
    assertEquals(400, result.status, result::toString);
    assertEquals(exampleOf(anyOperation(), "INVALID_REQUEST").path("code"), result.json().path("code"));
    assertEquals(header, result.json().path("detail").path("field").asText(), result::toString);
    assertEquals("header", result.json().path("detail").path("location").asText());
    assertAnswerSigned(result);
  }

  /** An error example of the spec by name, wherever an operation declares it. */
  static JsonNode exampleOf(SpecOperation op, String name) {
    return op.responses().values().stream().map(r -> r.examples.get(name)).filter(e -> e != null).findFirst()
        .orElseGet(() -> SPEC.operations().values().stream().flatMap(o -> o.responses().values().stream())
            .map(r -> r.examples.get(name)).filter(e -> e != null).findFirst()
            .orElseThrow(() -> new AssertionError("no error example " + name + " in the spec")));
  }

  private void assertAnswerSigned(RawCall.Result result) {
    String signature = result.response.headers().firstValue("Wechatpay-Signature").orElse(null);
    assertNotNull(signature, () -> "unsigned answer, headers " + result.response.headers().map());
    assertEquals(credentials.wechatpayPublicKeyId(), result.response.headers().firstValue("Wechatpay-Serial").orElse(null));
    assertEquals(RequestSigner.SCHEME, result.response.headers().firstValue("Wechatpay-Signature-Type").orElse(null));
    assertFalse(result.response.headers().firstValue("Request-ID").orElse("").isEmpty(), "no Request-ID");
    assertEquals(java.util.Optional.empty(), RequestSigning.answerProblem(credentials, result.response), "answer signature");
  }

  private static SpecOperation anyOperation() {
    return SPEC.operations().values().iterator().next();
  }
}
