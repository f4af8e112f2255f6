package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.core.http.Constant;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.core.http.HttpHeaders;
import com.wechat.pay.java.core.http.JsonRequestBody;
import com.wechat.pay.java.core.http.MediaType;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RSAPublicKeyNotificationConfig;
import com.wechat.pay.java.core.notification.RequestParam;
import io.github.wechatpaypartner.conformance.support.RawCall;
import io.github.wechatpaypartner.conformance.support.SpecCalls;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.NotificationReceiver;
import io.github.wechatpaypartner.conformance.support.SuiteSandbox;
import io.github.wechatpaypartner.sandbox.Fault;
import io.github.wechatpaypartner.sandbox.FaultRule;
import io.github.wechatpaypartner.sandbox.RecordedExchange;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SandboxCredentials;
import io.github.wechatpaypartner.sandbox.junit.SandboxExtension;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Point 7 of the sandbox issue: a client nobody here wrote, the official SDK
 * (com.github.wechatpay-apiv3:wechatpay-java) in WeChat Pay public key mode, through its generic
 * HttpClient (it has no service for these endpoints). The sandbox accepts its signatures; it accepts
 * the sandbox's signed answers and rejects one armed with a bad signature; its error type carries
 * the spec's codes; its notification parser verifies and decrypts the sandbox's notifications.
 */
class OfficialSdkTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SuiteSandbox.perClass();
  private static final SpecDocument SPEC = SpecDocument.load(ModulePaths.spec());
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private Sandbox sandbox;
  private HttpClient official;

  @BeforeEach
  void fresh(Sandbox sandbox) {
    this.sandbox = sandbox;
    sandbox.reset();
    SandboxCredentials c = sandbox.credentials();
    official = new DefaultHttpClientBuilder().config(new RSAPublicKeyConfig.Builder()
        .merchantId(c.mchid())
        .privateKey(c.merchantPrivateKey().orElseThrow())
        .merchantSerialNumber(c.merchantSerial())
        .publicKey(c.wechatpayKeys().getPublic())
        .publicKeyId(c.wechatpayPublicKeyId())
        .apiV3Key(c.apiV3Key())
        .build()).build();
  }

  @TestFactory
  Stream<DynamicNode> theThreeOperationsSignedByTheOfficialSdkAreAcceptedAndTheirAnswersVerified() {
    return SPEC.operations().values().stream()
        // the SDK's own certificate download is OfficialSdkCertificatesTest's; this sends the POSTs
        .filter(op -> op.requestSchema() != null)
        .map(op -> DynamicTest.dynamicTest(op.operationId, () -> {
      sandbox.reset();
      Map<?, ?> answer = post(op);
      RecordedExchange seen = sandbox.lastExchange();
      assertNull(seen.refusal, () -> "the sandbox refused the official SDK's request: " + seen);
      assertTrue(seen.status >= 200 && seen.status < 300, seen::toString);
      if (seen.responseBody.length == 0) {
        return; // a 204: nothing to compare
      }
      // Gson reads every number as a double: compare numbers by value.
      JsonNode wire = MAPPER.readTree(seen.responseBody);
      assertTrue(wire.equals((a, b) -> a.isNumber() && b.isNumber()
          ? Double.compare(a.doubleValue(), b.doubleValue()) : a.equals(b) ? 0 : 1, MAPPER.valueToTree(answer)),
          () -> "the SDK's answer differs from the wire: " + answer);
    }));
  }

  @Test
  void anAnswerWithABadSignatureIsRejected() {
    sandbox.arm(FaultRule.next(1, "createDeliveryPlan", Fault.badSignature()));
    assertThrows(ValidationException.class, () -> post(SPEC.operation("createDeliveryPlan")));
    assertEquals(200, sandbox.lastExchange().status, "the answer itself was a success");
  }

  @Test
  void theProbeAStaleTimestampAndAnUnknownSerialAreRejectedToo() {
    // The SDK throws IllegalArgumentException for some of these (the probe is not Base64): rejected all the same.
    for (Fault fault : new Fault[] {Fault.signTestProbe(), Fault.staleTimestamp(), Fault.unknownSerial()}) {
      sandbox.arm(FaultRule.next(1, "createDeliveryPlan", fault));
      assertThrows(RuntimeException.class, () -> post(SPEC.operation("createDeliveryPlan")), fault::toString);
      assertEquals(fault.toString(), sandbox.lastExchange().fault);
    }
  }

  @Test
  void aReusedOutRequestNoIsTheSpecsAlreadyExists() {
    SpecOperation op = SPEC.operation("addStockBundle");
    post(op);
    ServiceException e = assertThrows(ServiceException.class, () -> post(op));
    JsonNode example = SandboxChecksTest.exampleOf(op, "ALREADY_EXISTS");
    assertEquals(400, e.getHttpStatusCode());
    assertEquals(example.path("code").asText(), e.getErrorCode());
    assertEquals(example.path("message").asText(), e.getErrorMessage());
  }

  @Test
  void theSandboxsNotificationsParseWithTheOfficialParser() throws Exception {
    try (NotificationReceiver receiver = NotificationReceiver.start()) {
      sandbox.notifyUrl(receiver.url());
      Map<?, ?> plan = (Map<?, ?>) post(SPEC.operation("createDeliveryPlan")).get("plan");
      NotificationReceiver.Received r = receiver.await(1, Duration.ofSeconds(10)).get(0);
      SandboxCredentials c = sandbox.credentials();
      NotificationParser parser = new NotificationParser(new RSAPublicKeyNotificationConfig.Builder()
          .publicKey(c.wechatpayKeys().getPublic()).publicKeyId(c.wechatpayPublicKeyId()).apiV3Key(c.apiV3Key()).build());
      Map<?, ?> resource = parser.parse(new RequestParam.Builder()
          .serialNumber(r.headers.get("Wechatpay-Serial"))
          .nonce(r.headers.get("Wechatpay-Nonce"))
          .signature(r.headers.get("Wechatpay-Signature"))
          .timestamp(r.headers.get("Wechatpay-Timestamp"))
          .signType(r.headers.get("Wechatpay-Signature-Type"))
          .body(new String(r.body, StandardCharsets.UTF_8))
          .build(), Map.class);
      assertEquals(plan.get("plan_id"), resource.get("plan_id"));
    } finally {
      sandbox.notifyUrl(null);
    }
  }

  /** The spec's example call of {@code op}, with its method, through the official SDK's client. */
  private Map<?, ?> post(SpecOperation op) {
    HttpHeaders headers = new HttpHeaders();
    headers.addHeader(Constant.ACCEPT, MediaType.APPLICATION_JSON.getValue());
    headers.addHeader(Constant.CONTENT_TYPE, MediaType.APPLICATION_JSON.getValue());
    String url = sandbox.uri() + RawCall.to(sandbox.uri(), op).pathAndQuery();
    JsonNode example = SpecCalls.firstExample(op);
    JsonRequestBody body = example == null ? null : new JsonRequestBody.Builder().body(example.toString()).build();
    switch (op.method) {
      case "GET":
        return official.get(headers, url, Map.class).getServiceResponse();
      case "DELETE":
        return official.delete(headers, url, Map.class).getServiceResponse();
      case "PUT":
        return official.put(headers, url, body, Map.class).getServiceResponse();
      case "PATCH":
        return official.patch(headers, url, body, Map.class).getServiceResponse();
      default:
        return official.post(headers, url, body, Map.class).getServiceResponse();
    }
  }
}
