package io.github.wechatpaypartner.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.wechatpaypartner.client.ApiClient;
import io.github.wechatpaypartner.client.ApiException;
import io.github.wechatpaypartner.client.model.AddStockBundleRequest;
import io.github.wechatpaypartner.client.model.AddStockBundleResponse;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanResponse;
import io.github.wechatpaypartner.client.model.Stock;
import io.github.wechatpaypartner.client.model.UpdateStockBudgetRequest;
import io.github.wechatpaypartner.client.resilience.RetryPolicy;
import io.github.wechatpaypartner.signing.verify.ResponseVerificationException;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ready client against a loopback server that does what the service does: checks the
 * Authorization signature with the merchant public key (401 SIGN_ERROR otherwise) and signs its
 * answers, which are the spec's own 200 examples. The server's checks are written here
 * independently of the signing module.
 */
class WechatPayClientEndToEndTest {
  private static final String PUBLIC_KEY_ID = "PUB_KEY_ID_0114232134912410000000000000";
  private static final String MERCHANT_SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "WECHATPAY2-SHA256-RSA2048 mchid=\"(\\d+)\",nonce_str=\"(\\w+)\",signature=\"([^\"]+)\",timestamp=\"(\\d+)\",serial_no=\"(\\w+)\"");

  private final ObjectMapper json = ApiClient.createDefaultObjectMapper();
  private final SpecDocument spec = SpecDocument.load();
  private final KeyPair merchant = TestPki.merchantKey();
  private final KeyPair wechatpay = TestPki.wechatpayKey();
  private final WechatPaySide service = new WechatPaySide(wechatpay.getPrivate(), PUBLIC_KEY_ID);
  private final List<String> seenBodies = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private volatile String answerSignatureOverride;
  private volatile boolean rateLimited;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::serve);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void allThreeOperationsAreSignedAndVerified() throws Exception {
    WechatPayClient client = client();

    CreateDeliveryPlanRequest plan = json.treeToValue(requestExample("createDeliveryPlan"),
        CreateDeliveryPlanRequest.class);
    CreateDeliveryPlanResponse created = client.deliveryPlanApi().createDeliveryPlan(plan);
    assertEquals("40016", created.getPlan().getBrandId());

    AddStockBundleRequest bundle = json.treeToValue(requestExample("addStockBundle"), AddStockBundleRequest.class);
    AddStockBundleResponse added = client.productCouponApi().addStockBundle("200000001", bundle);
    assertFalse(added.getStockList().isEmpty());

    UpdateStockBudgetRequest budget = json.treeToValue(requestExample("updateStockBudget"),
        UpdateStockBudgetRequest.class);
    Stock stock = client.productCouponApi().updateStockBudget("1000000013", "1000000013001", budget);
    assertNotNull(stock.getStockId());

    assertEquals(3, seenBodies.size(), "the server saw every call");
    for (String body : seenBodies) {
      assertTrue(body.contains("\"out_request_no\""), body);
    }
  }

  @Test
  void aWrongMerchantKeyGets401SignErrorAsTheTypedException() throws Exception {
    WechatPayClient impostor = WechatPayClient.builder()
        .mchid("1900000001").merchantSerial(MERCHANT_SERIAL)
        .privateKey(TestPki.otherKey().getPrivate())
        .wechatpayPublicKey(PUBLIC_KEY_ID, wechatpay.getPublic())
        .hosts(baseUri()).noRetries().build();
    CreateDeliveryPlanRequest plan = json.treeToValue(requestExample("createDeliveryPlan"),
        CreateDeliveryPlanRequest.class);
    ApiException error = assertThrows(ApiException.class, () -> impostor.deliveryPlanApi().createDeliveryPlan(plan));
    assertEquals(401, error.getCode());
    assertEquals("SIGN_ERROR", error.getErrorCode());
  }

  @Test
  void anAnswerSignedByAnotherKeyIsRejectedBeforeDeserialization() throws Exception {
    answerSignatureOverride = Base64.getEncoder().encodeToString(new byte[256]);
    CreateDeliveryPlanRequest plan = json.treeToValue(requestExample("createDeliveryPlan"),
        CreateDeliveryPlanRequest.class);
    Exception error = assertThrows(Exception.class, () -> client().deliveryPlanApi().createDeliveryPlan(plan));
    assertInstanceOf(ResponseVerificationException.class, error, () -> "got " + error);
    assertEquals(1, seenBodies.size(), "a verification failure is not retried");
  }

  @Test
  void aFinal429IsTheTypedErrorAndListsEveryAttemptWithTheSameBody() throws Exception {
    rateLimited = true;
    WechatPayClient client = WechatPayClient.builder()
        .mchid("1900000001").merchantSerial(MERCHANT_SERIAL).privateKey(merchant.getPrivate())
        .wechatpayPublicKey(PUBLIC_KEY_ID, wechatpay.getPublic()).hosts(baseUri())
        .retryPolicy(RetryPolicy.builder().maxAttempts(3).baseDelay(Duration.ofMillis(1))
            .maxDelay(Duration.ofMillis(2)).build())
        .build();
    CreateDeliveryPlanRequest plan = json.treeToValue(requestExample("createDeliveryPlan"),
        CreateDeliveryPlanRequest.class);
    ApiException error = assertThrows(ApiException.class, () -> client.deliveryPlanApi().createDeliveryPlan(plan));
    assertEquals(429, error.getCode());
    assertEquals("RATELIMIT_EXCEEDED", error.getErrorCode());
    assertTrue(error.getMessage().contains("3 attempts"), error.getMessage());
    assertTrue(error.getMessage().contains("127.0.0.1"), error.getMessage());
    assertEquals(3, seenBodies.size());
    assertEquals(1, new java.util.HashSet<>(seenBodies).size(), "every retry resends the same body");
  }

  @Test
  void mockServerOptionIsRefusedForTheRealHosts() {
    for (String host : new String[] {"https://api.mch.weixin.qq.com", "https://api2.mch.weixin.qq.com"}) {
      ConfigurationException error = assertThrows(ConfigurationException.class, () -> WechatPayClient.builder()
          .insecureMockServerWithoutResponseVerification(URI.create(host)));
      assertTrue(error.getMessage().contains("always verified"), error.getMessage());
    }
  }

  @Test
  void missingSettingsAreNamedBeforeAnythingIsSent() {
    ConfigurationException error = assertThrows(ConfigurationException.class, () -> WechatPayClient.builder()
        .mchid("1900000001").build());
    assertTrue(error.getMessage().contains("privateKey"), error.getMessage());
    assertTrue(error.getMessage().contains("merchantSerial"), error.getMessage());
    assertTrue(error.getMessage().contains("wechatpayPublicKey"), error.getMessage());
  }

  @Test
  void toStringNamesTheMerchantButNoKey() {
    String text = client().toString();
    assertTrue(text.contains("1900000001") && text.contains(PUBLIC_KEY_ID), text);
    String encodedKey = Base64.getEncoder().encodeToString(merchant.getPrivate().getEncoded());
    assertFalse(text.contains(encodedKey.substring(0, 40)), text);
  }

  private WechatPayClient client() {
    return WechatPayClient.builder()
        .mchid("1900000001")
        .merchantSerial(MERCHANT_SERIAL)
        .privateKey(merchant.getPrivate())
        .wechatpayPublicKey(PUBLIC_KEY_ID, wechatpay.getPublic())
        .hosts(baseUri())
        .build();
  }

  private URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** What the service does: check the merchant's signature, then answer with a signed example. */
  private void serve(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    seenBodies.add(new String(body, StandardCharsets.UTF_8));
    String path = exchange.getRequestURI().getRawPath();
    byte[] answer;
    int status;
    if (rateLimited) {
      status = 429;
      answer = "{\"code\":\"RATELIMIT_EXCEEDED\",\"message\":\"请求超过接口频率限制\"}".getBytes(StandardCharsets.UTF_8);
    } else if (!signatureHolds(exchange, body, merchant.getPublic())) {
      status = 401;
      answer = "{\"code\":\"SIGN_ERROR\",\"message\":\"签名错误\"}".getBytes(StandardCharsets.UTF_8);
    } else {
      status = 200;
      answer = json.writeValueAsBytes(responseExample(path));
    }
    long now = System.currentTimeMillis() / 1000;
    service.headers(now, UUID.randomUUID().toString().replace("-", ""), answer)
        .forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    if (answerSignatureOverride != null) {
      exchange.getResponseHeaders().set("Wechatpay-Signature", answerSignatureOverride);
    }
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, answer.length);
    exchange.getResponseBody().write(answer);
    exchange.close();
  }

  private static boolean signatureHolds(HttpExchange exchange, byte[] body, PublicKey merchantKey) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    Matcher m = header == null ? null : AUTHORIZATION.matcher(header);
    if (m == null || !m.matches() || !MERCHANT_SERIAL.equals(m.group(5))
        || !PUBLIC_KEY_ID.equals(exchange.getRequestHeaders().getFirst("Wechatpay-Serial"))) {
      return false;
    }
    URI uri = exchange.getRequestURI();
    String canonical = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    String head = exchange.getRequestMethod() + "\n" + canonical + "\n" + m.group(4) + "\n" + m.group(2) + "\n";
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(merchantKey);
      verifier.update(head.getBytes(StandardCharsets.UTF_8));
      verifier.update(body);
      verifier.update((byte) '\n');
      return verifier.verify(Base64.getDecoder().decode(m.group(3)));
    } catch (Exception e) {
      return false;
    }
  }

  private JsonNode requestExample(String operationId) {
    return spec.operation(operationId).requestExamples().get("seed");
  }

  /** The 200 example of the operation whose path template matches the request path. */
  private JsonNode responseExample(String requestPath) {
    for (SpecDocument.SpecOperation op : spec.operations().values()) {
      if (requestPath.matches(op.pathTemplate.replaceAll("\\{[^}]+}", "[^/]+"))) {
        return op.responses().get(200).examples.get("seed");
      }
    }
    throw new IllegalStateException("no operation for " + requestPath);
  }
}
