package io.github.wechatpaypartner.spring.boot;

import io.github.wechatpaypartner.sandbox.Fault;
import io.github.wechatpaypartner.sandbox.FaultRule;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest;
import io.github.wechatpaypartner.client.model.DeliveryPlan;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SandboxCredentials;
import io.github.wechatpaypartner.sandbox.SandboxSettings;
import io.github.wechatpaypartner.sandbox.SentNotification;
import io.github.wechatpaypartner.sandbox.junit.SandboxExtension;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import io.github.wechatpaypartner.signing.notification.ApiV3Key;
import io.github.wechatpaypartner.testkit.ResourceEncryptor;
import io.github.wechatpaypartner.testkit.ServiceSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A real application (Tomcat on a free loopback port) with two merchants configured from
 * properties, each against its own sandbox: the beans, a verified call, and the sandboxes'
 * notifications delivered to each merchant's endpoint, de-duplicated, retried after a failing
 * listener. brand-a is configured with key files, brand-b with PEM text and its own notify path.
 */
@SpringBootTest(classes = StarterSandboxTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class StarterSandboxTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A coupon and stock the sandbox seeds from the spec's createDeliveryPlan example. */
  private static final String BRAND = "40016";
  private static final String COUPON = "701146876221757924829193824428";
  private static final String STOCK = "701246876221757924829194755312";
  private static Sandbox brandA;
  private static Sandbox brandB;

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    NotificationRecorder recorder() {
      return new NotificationRecorder();
    }

    @Bean
    SimpleMeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  @BeforeAll
  static void startSandboxes() {
    CompletableFuture<Sandbox> b = CompletableFuture.supplyAsync(() -> sandbox(TestMerchants.second()));
    brandA = sandbox(TestMerchants.first());
    brandB = b.join();
  }

  private static Sandbox sandbox(GeneratedCredentials merchant) {
    return Sandbox.start(SandboxSettings.builder().timeScale(SandboxExtension.DEFAULT_TIME_SCALE)
        .credentials(SandboxCredentials.of(merchant)).build());
  }

  @AfterAll
  static void stopSandboxes() {
    brandA.close();
    brandB.close();
    assertEquals(List.of(), brandA.offSpec(), "brand-a's sandbox answered or notified off the spec");
    assertEquals(List.of(), brandB.offSpec(), "brand-b's sandbox answered or notified off the spec");
  }

  @DynamicPropertySource
  static void merchants(DynamicPropertyRegistry properties) throws Exception {
    String a = "wechatpay.merchants.brand-a.";
    Path filesA = brandA.clientFiles();
    properties.add(a + "mchid", () -> brandA.credentials().mchid());
    properties.add(a + "private-key-file", () -> filesA.resolve(SandboxCredentials.MERCHANT_KEY_FILE).toString());
    properties.add(a + "merchant-certificate-file", () -> "file:" + filesA.resolve(SandboxCredentials.MERCHANT_CERT_FILE));
    properties.add(a + "public-key-id", () -> brandA.credentials().wechatpayPublicKeyId());
    properties.add(a + "public-key-file", () -> filesA.resolve(SandboxCredentials.WECHATPAY_PUBLIC_KEY_FILE).toString());
    properties.add(a + "api-v3-key", () -> brandA.credentials().apiV3Key());
    properties.add(a + "hosts[0]", () -> brandA.uri().toString());
    properties.add(a + "retry.max-attempts", () -> "1");

    String b = "wechatpay.merchants.brand-b.";
    Path filesB = brandB.clientFiles();
    properties.add(b + "mchid", () -> brandB.credentials().mchid());
    properties.add(b + "private-key-pem", () -> read(filesB.resolve(SandboxCredentials.MERCHANT_KEY_FILE)));
    properties.add(b + "merchant-certificate-pem", () -> read(filesB.resolve(SandboxCredentials.MERCHANT_CERT_FILE)));
    properties.add(b + "public-key-id", () -> brandB.credentials().wechatpayPublicKeyId());
    properties.add(b + "public-key-pem", () -> read(filesB.resolve(SandboxCredentials.WECHATPAY_PUBLIC_KEY_FILE)));
    properties.add(b + "api-v3-key", () -> brandB.credentials().apiV3Key());
    properties.add(b + "hosts", () -> brandB.uri().toString());
    properties.add(b + "notify-path", () -> "/hooks/brand-b");
    properties.add(b + "timeouts.attempt", () -> "3s");
  }

  @LocalServerPort
  int port;
  @Autowired
  WechatPayClients clients;
  @Autowired
  @Qualifier("brand-a")
  WechatPayClient clientA;
  @Autowired
  @Qualifier("brand-b")
  WechatPayClient clientB;
  @Autowired
  NotificationRecorder recorder;
  @Autowired
  SimpleMeterRegistry meters;

  @BeforeEach
  void fresh() {
    brandA.reset();
    brandB.reset();
    brandA.notifyUrl(endpoint("/wechatpay/notify/brand-a"));
    brandB.notifyUrl(endpoint("/hooks/brand-b"));
    recorder.clear();
  }

  @Test
  void eachMerchantIsAClientBeanThatMakesVerifiedCallsToItsOwnHost() {
    assertEquals(List.of("brand-a", "brand-b"), List.copyOf(clients.names()));
    assertSame(clients.get("brand-a"), clientA);
    assertSame(clients.get("brand-b"), clientB);
    assertTrue(clientA.toString().contains("mchid=1900000001") && clientA.toString().contains(brandA.uri().toString()),
        clientA::toString);
    assertTrue(clientB.toString().contains("mchid=1900000002") && clientB.toString().contains(brandB.uri().toString()),
        clientB::toString);

    DeliveryPlan plan = createPlan(clientA, "plan-a-1");
    assertEquals(200, brandA.lastExchange().status, "the sandbox checked the signature and answered signed");
    assertEquals(plan.getPlanId(), brandA.state().deliveryPlan(plan.getPlanId()).orElseThrow().path("plan_id").asText());
    assertEquals(List.of(), brandB.exchanges(), "brand-b's sandbox saw nothing");
    createPlan(clientB, "plan-b-1");
    assertEquals(1, brandB.exchanges("createDeliveryPlan").size());
  }

  @Test
  void callsAndAttemptsAreTimedByOperationOutcomeAndErrorCodeARetryIncluded() {
    brandB.arm(FaultRule.next(1, "createDeliveryPlan", Fault.rateLimited(0)));
    createPlan(clientB, "plan-b-metrics");
    Timer call = meters.find(MicrometerCallListener.CALLS).tags("merchant", "brand-b",
        "operation", "createDeliveryPlan", "outcome", "success", "retried", "true").timer();
    assertNotNull(call, () -> "no retried call timed: " + meters.getMeters());
    assertEquals(1, call.count());
    Timer limited = meters.find(MicrometerCallListener.ATTEMPTS).tags("merchant", "brand-b",
        "operation", "createDeliveryPlan", "status", "429", "error_code", "RATELIMIT_EXCEEDED",
        "outcome", "retryable_status").timer();
    assertNotNull(limited, () -> "no 429 attempt timed: " + meters.getMeters());
    Timer retry = meters.find(MicrometerCallListener.ATTEMPTS).tags("merchant", "brand-b",
        "status", "200", "wait", "retry_after").timer();
    assertNotNull(retry, () -> "the retry after Retry-After was not timed: " + meters.getMeters());
    assertEquals(java.util.Set.of("merchant", "operation", "host", "status", "outcome", "error_code", "wait", "retried"),
        meters.getMeters().stream().filter(m -> m.getId().getName().startsWith("wechatpay.client."))
            .flatMap(m -> m.getId().getTags().stream()).map(io.micrometer.core.instrument.Tag::getKey)
            .collect(java.util.stream.Collectors.toSet()), "tags by kind, never by an id");
  }

  @Test
  void eachMerchantsNotificationReachesItsListenerTyped() {
    DeliveryPlan plan = createPlan(clientA, "plan-a-2");
    SentNotification change = delivered(brandA);
    assertEquals(List.of(200), statuses(change));
    assertTrue(change.attempts().get(0).answer.contains("\"SUCCESS\""), change::toString);
    assertEquals(1, recorder.plans.size());
    WechatPayNotificationEvent<?> event = recorder.plans.get(0);
    assertEquals("brand-a", event.getMerchant());
    assertEquals(change.id, event.getEventId());
    assertEquals(plan.getPlanId(), recorder.plans.get(0).getResource().getPlanId());

    brandB.receiveCoupon(COUPON, STOCK);
    SentNotification sent = delivered(brandB);
    assertEquals(List.of(200), statuses(sent));
    assertEquals("brand-b", recorder.coupons.get(0).getMerchant());
    assertEquals(sent.resource.path("coupon_code").asText(), recorder.coupons.get(0).getResource().getCouponCode());
    assertEquals(List.of(), recorder.unknown);
  }

  @Test
  void aDuplicateDeliveryIsAnsweredSuccessWithoutRunningTheListenerAgain() throws Exception {
    brandB.receiveCoupon(COUPON, STOCK);
    SentNotification sent = delivered(brandB);
    assertEquals(1, recorder.coupons.size());

    HttpResponse<String> again = post("/hooks/brand-b", sent.body.getBytes(StandardCharsets.UTF_8), brandB);
    assertEquals(200, again.statusCode());
    assertEquals("SUCCESS", JSON.readTree(again.body()).path("code").asText());
    assertEquals(1, recorder.coupons.size(), "the listener ran once for the event id");
  }

  @Test
  void aFailingListenerIsAnsweredFailSoTheServiceDeliversAgain() {
    recorder.planFailures.set(1);
    DeliveryPlan plan = createPlan(clientA, "plan-a-3");
    SentNotification change = delivered(brandA);
    assertEquals(List.of(500, 200), statuses(change), change::toString);
    assertTrue(change.attempts().get(0).answer.contains("\"FAIL\""), change::toString);
    assertEquals(2, recorder.planRuns.get());
    assertEquals(1, recorder.plans.size());
    assertEquals(plan.getPlanId(), recorder.plans.get(0).getResource().getPlanId());
  }

  @Test
  void anEventTypeThisVersionDoesNotKnowArrivesAsATreeAndAForgedOneIsRefused() throws Exception {
    ObjectNode resource = JSON.createObjectNode().put("campaign_id", "C-1").put("state", "STARTED");
    byte[] body = envelope("MARKETING.CAMPAIGN_STARTED", resource, brandA);

    HttpResponse<String> forged = post("/wechatpay/notify/brand-a", body, brandB);
    assertEquals(401, forged.statusCode(), "signed with another merchant's WeChat Pay key");
    assertEquals("FAIL", JSON.readTree(forged.body()).path("code").asText());
    assertEquals(List.of(), recorder.unknown);

    HttpResponse<String> answer = post("/wechatpay/notify/brand-a", body, brandA);
    assertEquals(200, answer.statusCode(), answer::body);
    assertEquals("MARKETING.CAMPAIGN_STARTED", recorder.unknown.get(0).getEventType());
    assertEquals(resource, recorder.unknown.get(0).getResource());
  }

  private static DeliveryPlan createPlan(WechatPayClient client, String outRequestNo) {
    return client.deliveryPlanApi().createDeliveryPlan(new CreateDeliveryPlanRequest()
        .outRequestNo(outRequestNo).brandId(BRAND).productCouponId(COUPON).stockId(STOCK)
        .planName("冬季饮料投放").userLimit(1L)).getPlan();
  }

  private static SentNotification delivered(Sandbox sandbox) {
    return sandbox.awaitNotifications(1, Duration.ofSeconds(10)).get(0);
  }

  private static List<Integer> statuses(SentNotification sent) {
    return sent.attempts().stream().map(a -> a.status).collect(Collectors.toList());
  }

  private URI endpoint(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** POSTs {@code body} signed now by {@code signedBy}'s WeChat Pay key, as the service does. */
  private HttpResponse<String> post(String path, byte[] body, Sandbox signedBy) throws Exception {
    SandboxCredentials c = signedBy.credentials();
    ServiceSigner signer = new ServiceSigner(c.wechatpayKeys().getPrivate(), c.wechatpayPublicKeyId(), Clock.systemUTC());
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signer.headers(body).forEach(request::header);
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** A notification envelope of {@code eventType} with {@code resource} encrypted under {@code to}'s APIv3 key. */
  private static byte[] envelope(String eventType, ObjectNode resource, Sandbox to) {
    String nonce = GeneratedCredentials.randomAlphanumeric(12);
    ObjectNode envelope = JSON.createObjectNode()
        .put("id", "EV-" + System.nanoTime())
        .put("create_time", OffsetDateTime.now(ZoneOffset.ofHours(8))
            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")))
        .put("event_type", eventType)
        .put("resource_type", "encrypt-resource")
        .put("summary", "新的营销事件");
    envelope.putObject("resource")
        .put("original_type", "campaign")
        .put("algorithm", "AEAD_AES_256_GCM")
        .put("associated_data", "campaign")
        .put("nonce", nonce)
        .put("ciphertext", new ResourceEncryptor(ApiV3Key.of(to.credentials().apiV3Key()))
            .encrypt(resource.toString(), nonce, "campaign"));
    return envelope.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
