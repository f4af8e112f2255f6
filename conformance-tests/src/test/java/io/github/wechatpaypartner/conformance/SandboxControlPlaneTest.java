package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.conformance.support.ControlPlane;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.NotificationReceiver;
import io.github.wechatpaypartner.conformance.support.RawCall;
import io.github.wechatpaypartner.conformance.support.SuiteSandbox;
import io.github.wechatpaypartner.sandbox.Fault;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SandboxCredentials;
import io.github.wechatpaypartner.sandbox.SandboxSettings;
import io.github.wechatpaypartner.sandbox.SentNotification;
import io.github.wechatpaypartner.sandbox.junit.SandboxExtension;
import io.github.wechatpaypartner.spec.SpecDocument;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane (item 2 of the sandbox-for-every-team issue), driven over HTTP as a client in
 * any language drives it: its own OpenAPI document, served by the sandbox, reads without messages;
 * every operation it describes is called here (the last test checks that), and what each does is
 * seen both over HTTP and through the Java handle, which share one implementation.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxControlPlaneTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SuiteSandbox.perClass();
  private static final SpecDocument SPEC = SpecDocument.load(ModulePaths.spec());
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** operationId by "METHOD path-regex" of the control plane's document, read in the first test. */
  private static final Map<String, String> OPERATIONS = new TreeMap<>();
  private static final Set<String> CALLED = ConcurrentHashMap.newKeySet();
  private Sandbox sandbox;
  private ControlPlane control;

  @BeforeEach
  void fresh(Sandbox sandbox) {
    this.sandbox = sandbox;
    this.control = new ControlPlane(sandbox.uri(), null);
    sandbox.reset();
    if (OPERATIONS.isEmpty()) {
      readDocument();
    }
  }

  /** Calls {@code method path} after finding the operation of the document it is, and notes it as called. */
  private ControlPlane.Answer call(String method, String path, String body) {
    String bare = path.replaceFirst("\\?.*", "");
    String id = OPERATIONS.entrySet().stream()
        .filter(e -> e.getKey().startsWith(method + " ") && bare.matches(e.getKey().substring(method.length() + 1)))
        .map(Map.Entry::getValue).findFirst()
        .orElseThrow(() -> new AssertionError("the control plane's document has no " + method + " " + bare));
    CALLED.add(id);
    return control.call(method, path, body);
  }

  private void readDocument() {
    ControlPlane.Answer served = control.call("GET", "/openapi.yaml", null);
    assertEquals(200, served.status);
    SwaggerParseResult parsed = new OpenAPIParser().readContents(served.body, null, null);
    assertEquals(List.of(), parsed.getMessages(), "Swagger Parser's messages on the control plane's document");
    OpenAPI doc = parsed.getOpenAPI();
    doc.getPaths().forEach((template, item) -> item.readOperationsMap().forEach((method, op) -> OPERATIONS.put(
        method.name() + " " + Pattern.quote(template.replace("/sandbox/v1", "")).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q"),
        op.getOperationId())));
    CALLED.add("getControlPlaneSpec");
  }

  private RawCall.Result plan(String outRequestNo, String faultHeader) {
    SpecDocument.SpecOperation op = SPEC.operation("createDeliveryPlan");
    ObjectNode body = op.requestExamples().values().iterator().next().deepCopy();
    body.put("out_request_no", outRequestNo);
    RawCall call = RawCall.to(sandbox.uri(), op).body(body).signedWith(sandbox.credentials());
    return (faultHeader == null ? call : call.header(Fault.HEADER, faultHeader)).send();
  }

  @Test
  @Order(1)
  void infoIsSandboxJson() throws Exception {
    JsonNode info = call("GET", "/info", null).json();
    JsonNode file = MAPPER.readTree(sandbox.clientFiles().resolve(SandboxCredentials.DESCRIPTION_FILE).toFile());
    assertEquals(file, info);
    assertEquals(sandbox.uri().getPort(), info.path("port").asInt());
    assertEquals(sandbox.uri() + "/sandbox/v1", info.path("control_url").asText());
    assertFalse(info.has("control_token"), "on loopback the control plane needs no token");
    assertTrue(info.path("merchant_serial").asText().matches("[1-7][0-9A-F]{39}"), info::toString);
    assertEquals(sandbox.credentials().wechatpayPublicKeyId(), info.path("wechatpay_public_key_id").asText());
    assertTrue(Files.isRegularFile(Path.of(info.path("files").path("merchant_private_key").asText())));
  }

  @Test
  @Order(2)
  void stateIsReadSeededAndReset() {
    JsonNode state = call("GET", "/state", null).json();
    JsonNode stock = state.path("stocks").get(0).deepCopy();
    ((ObjectNode) stock).put("stock_id", "900000000000000000000000000001");
    String seed = "{\"product_coupons\":[{\"product_coupon_id\":\"900000000000000000000000000002\","
        + "\"usage_mode\":\"SINGLE\",\"brand_id\":\"40016\"}],\"stocks\":[" + stock + "]}";
    ControlPlane.Answer seeded = call("POST", "/state", seed);
    assertEquals(200, seeded.status, seeded::toString);
    assertTrue(sandbox.state().stock(stock.path("product_coupon_id").asText(), "900000000000000000000000000001")
        .isPresent(), "the Java handle sees what the control plane seeded");
    assertTrue(sandbox.state().productCoupons().stream()
        .anyMatch(c -> c.path("product_coupon_id").asText().equals("900000000000000000000000000002")));
    ControlPlane.Answer refused = call("POST", "/state", "{\"stocks\":[{\"stock_id\":\"1\",\"product_coupon_id\":\"nope\"}]}");
    assertEquals(400, refused.status);
    assertTrue(refused.json().path("message").asText().contains("nope"), refused::toString);
    assertEquals(200, call("POST", "/reset", null).status);
    assertFalse(sandbox.state().stock(stock.path("product_coupon_id").asText(), "900000000000000000000000000001")
        .isPresent(), "reset returns to the seed");
  }

  @Test
  @Order(3)
  void theRecordIsFilteredByOperationAndOutRequestNoWithHeadersAndBodies() {
    RawCall.Result a = plan("cp-record-a", null);
    plan("cp-record-b", null);
    assertEquals(200, a.status, a::toString);
    JsonNode all = call("GET", "/exchanges?operation=createDeliveryPlan", null).json().path("exchanges");
    assertEquals(2, all.size());
    JsonNode one = call("GET", "/exchanges?out_request_no=cp-record-a", null).json().path("exchanges");
    assertEquals(1, one.size());
    JsonNode x = one.get(0);
    assertEquals("createDeliveryPlan", x.path("operation").asText());
    assertTrue(x.path("request").path("body").asText().contains("\"cp-record-a\""));
    assertTrue(x.path("request").path("headers").path("Authorization").get(0).asText().startsWith("WECHATPAY2-SHA256-RSA2048"));
    assertEquals(a.body, x.path("response").path("body").asText());
    assertEquals(a.response.headers().firstValue("Request-ID").orElseThrow(), x.path("request_id").asText());
    assertEquals(1, call("GET", "/exchanges?limit=1", null).json().path("exchanges").size());
    assertEquals(0, call("GET", "/exchanges?operation=addStockBundle", null).json().path("exchanges").size());
  }

  @Test
  @Order(4)
  void faultsAreArmedListedAndDisarmedWhileRunning() {
    ControlPlane.Answer armed = call("POST", "/faults", "{\"rule\":\"createDeliveryPlan:GATEWAY_503:next=1\"}");
    assertEquals(201, armed.status, armed::toString);
    call("POST", "/faults", "{\"rule\":\"updateStockBudget:RATE_LIMITED;retry-after=1:every=2\"}");
    JsonNode listed = call("GET", "/faults", null).json();
    assertEquals(List.of("createDeliveryPlan:GATEWAY_503:next=1", "updateStockBudget:RATE_LIMITED;retry-after=1:every=2"),
        texts(listed.path("armed"), "rule"));
    assertEquals(Set.of(Fault.Kind.values()).stream().map(Enum::name).collect(Collectors.toCollection(TreeSet::new)),
        new TreeSet<>(texts(listed.path("vocabulary"), "fault")));
    // "503 once, then 200" with no restart: the rule fires on the next call only.
    assertEquals(503, plan("cp-fault-1", null).status);
    assertEquals(200, plan("cp-fault-1", null).status);
    assertEquals(List.of("updateStockBudget:RATE_LIMITED;retry-after=1:every=2"),
        texts(call("GET", "/faults", null).json().path("armed"), "rule"), "the spent rule is gone");
    int every = call("GET", "/faults", null).json().path("armed").get(0).path("id").asInt();
    assertEquals(List.of(), texts(call("DELETE", "/faults/" + every, null).json().path("armed"), "rule"));
    assertEquals(404, call("DELETE", "/faults/" + every, null).status);
    call("POST", "/faults", "{\"rule\":\"*:SYSTEM_ERROR\"}");
    assertEquals(1, sandbox.armedFaults().size(), "the Java handle sees the armed rule");
    assertEquals(0, call("DELETE", "/faults", null).json().path("armed").size());
    ControlPlane.Answer wrong = call("POST", "/faults", "{\"rule\":\"createDeliveryPlan:QUAKE\"}");
    assertEquals(400, wrong.status);
    assertTrue(wrong.json().path("message").asText().contains("QUAKE"), wrong::toString);
  }

  @Test
  @Order(5)
  void notificationsAreSentOnDemandDuplicatedAndScheduled() throws Exception {
    try (NotificationReceiver receiver = NotificationReceiver.start()) {
      assertEquals(receiver.url().toString(), call("PUT", "/notifications/url",
          "{\"notify_url\":\"" + receiver.url() + "\"}").json().path("notify_url").asText());
      ControlPlane.Answer sent = call("POST", "/notifications", "{\"event_type\":\"DELIVERY_PLAN.CHANGE\","
          + "\"resource\":{\"plan_id\":\"4242\",\"audit_state\":\"REJECTED\",\"change_reason\":\"not allowed\"}}");
      assertEquals(201, sent.status, sent::toString);
      String id = sent.json().path("id").asText();
      assertEquals("REJECTED", sent.json().path("resource").path("audit_state").asText());
      ControlPlane.Answer again = call("POST", "/notifications/" + id + "/duplicate", null);
      assertEquals(201, again.status, again::toString);
      List<NotificationReceiver.Received> got = receiver.await(2, Duration.ofSeconds(10));
      assertEquals(2, got.stream().filter(r -> new String(r.body, StandardCharsets.UTF_8).contains(id)).count());
      assertEquals(new String(got.get(0).body, StandardCharsets.UTF_8), new String(got.get(1).body, StandardCharsets.UTF_8),
          "a duplicate is the same envelope, byte for byte");
      call("POST", "/coupons/receive", "{\"product_coupon_id\":\"" + sandbox.state().stocks().get(0)
          .path("product_coupon_id").asText() + "\",\"stock_id\":\"" + sandbox.state().stocks().get(0)
          .path("stock_id").asText() + "\"}");
      List<SentNotification> all = sandbox.awaitNotifications(3, Duration.ofSeconds(10));
      JsonNode listed = call("GET", "/notifications", null).json().path("notifications");
      assertEquals(List.of("DELIVERY_PLAN.CHANGE", "DELIVERY_PLAN.CHANGE", "PRODUCT_COUPON_SP.SEND"),
          texts(listed, "event_type"));
      assertEquals(id, listed.get(1).path("duplicate_of").asText());
      assertEquals(200, listed.get(0).path("attempts").get(0).path("status").asInt(), "the receiver's answer is recorded");
      assertEquals(all.size(), listed.size());
      ControlPlane.Answer offSpec = call("POST", "/notifications",
          "{\"event_type\":\"DELIVERY_PLAN.CHANGE\",\"resource\":{\"audit_state\":5}}");
      assertEquals(400, offSpec.status, offSpec::toString);
      assertTrue(offSpec.body.contains("audit_state"), offSpec::toString);
      assertEquals(400, call("POST", "/notifications", "{\"event_type\":\"NO.SUCH\"}").status);
    } finally {
      sandbox.notifyUrl(null);
    }
    JsonNode schedule = call("GET", "/notifications/schedule", null).json();
    JsonNode retry = SPEC.tree().at("/x-webhooks/PRODUCT_COUPON_SP.SEND/post/x-wechatpay-notification-retry");
    for (JsonNode event : schedule.path("events")) {
      // the spec states the schedule once (for PRODUCT_COUPON_SP.SEND); every event follows it
      assertEquals(retry.path("interval_seconds").asLong(), event.path("interval_seconds").asLong(), event::toString);
      assertEquals(retry.path("max_retries").asInt(), event.path("max_retries").asInt(), event::toString);
      assertEquals(event.path("event_type").asText().equals("PRODUCT_COUPON_SP.SEND"),
          event.path("stated_for_this_event").asBoolean(), event::toString);
    }
    assertEquals(SandboxExtension.DEFAULT_TIME_SCALE, schedule.path("time_scale").asDouble());
  }

  @Test
  @Order(6)
  void aNotificationOfAFaultedCallNamesTheFault() {
    assertEquals(500, plan("cp-lost-1", "ANSWER_LOST").status);
    SentNotification n = sandbox.awaitNotifications(1, Duration.ofSeconds(10)).get(0);
    assertTrue(n.cause.contains("cp-lost-1") && n.cause.contains("ANSWER_LOST"), n::toString);
  }

  @Test
  @Order(7)
  void theClockIsMovedToMeetTheFiveMinuteWindow() {
    assertEquals(301, call("PUT", "/clock", "{\"offset_seconds\":301}").json().path("offset_seconds").asInt());
    assertEquals(301, call("GET", "/clock", null).json().path("offset_seconds").asInt());
    RawCall.Result stale = plan("cp-clock-1", null);
    assertEquals(401, stale.status, stale::toString);
    assertTrue(stale.body.contains("timestamp"), stale::toString);
    assertEquals(Duration.ofSeconds(301), sandbox.clockOffset());
    assertEquals(400, call("PUT", "/clock", "{\"offset_seconds\":\"soon\"}").status);
    call("PUT", "/clock", "{\"offset_seconds\":0}");
    assertEquals(200, plan("cp-clock-1", null).status);
  }

  @Test
  @Order(8)
  void theWechatpayKeyIsRotated() throws Exception {
    String before = sandbox.credentials().wechatpayPublicKeyId();
    JsonNode rotated = call("POST", "/keys/rotate", null).json();
    String id = rotated.path("wechatpay_public_key_id").asText();
    assertNotEquals(before, id);
    RawCall.Result answer = plan("cp-rotate-1", null);
    assertEquals(id, answer.response.headers().firstValue("Wechatpay-Serial").orElseThrow());
    assertEquals(rotated.path("wechatpay_public_key_pem").asText(),
        Files.readString(sandbox.clientFiles().resolve(SandboxCredentials.WECHATPAY_PUBLIC_KEY_FILE)));
    assertEquals(id, MAPPER.readTree(sandbox.clientFiles().resolve(SandboxCredentials.DESCRIPTION_FILE).toFile())
        .path("wechatpay_public_key_id").asText());
  }

  @Test
  @Order(8)
  void theKeyModeSwitchesAndAPlatformCertificateRotates() throws Exception {
    JsonNode start = call("GET", "/keys/mode", null).json();
    assertEquals("PUBLIC_KEY", start.path("mode").asText());
    assertEquals(0, start.path("certificate_serials").size(), "no certificate is listed in public key mode");
    JsonNode both = call("PUT", "/keys/mode", "{\"mode\":\"PLATFORM_CERTIFICATE\"}").json();
    String first = both.path("signing_serial").asText();
    assertEquals(List.of(first), texts(both.path("certificate_serials"), null));
    assertEquals(first, plan("cp-cert-1", null).response.headers().firstValue("Wechatpay-Serial").orElseThrow());
    JsonNode rotated = call("POST", "/keys/certificates/rotate", null).json();
    String second = rotated.path("signing_serial").asText();
    assertNotEquals(first, second);
    assertEquals(List.of(second, first), texts(rotated.path("certificate_serials"), null), "newest first, the previous kept");
    assertEquals(second, plan("cp-cert-2", null).response.headers().firstValue("Wechatpay-Serial").orElseThrow());
    assertEquals(400, call("PUT", "/keys/mode", "{\"mode\":\"SOMETHING\"}").status);
    call("PUT", "/keys/mode", "{\"mode\":\"PUBLIC_KEY\"}");
  }

  @Test
  @Order(9)
  void coverageSaysWhatTheClientMetAndNeverDid() throws Exception {
    plan("cp-coverage-1", "GATEWAY_502");
    plan("cp-coverage-1", null);
    JsonNode coverage = call("GET", "/coverage", null).json();
    JsonNode op = StreamSupport.stream(coverage.path("operations").spliterator(), false)
        .filter(o -> o.path("operation").asText().equals("createDeliveryPlan")).findFirst().orElseThrow();
    assertTrue(texts(op.path("statuses").path("met"), null).contains("200"), op::toString);
    assertTrue(texts(op.path("statuses").path("met_undeclared"), null).contains("502"), op::toString);
    assertTrue(texts(op.path("statuses").path("never"), null).contains("400"), op::toString);
    assertTrue(texts(coverage.path("faults").path("met"), null).contains("GATEWAY_502"));
    assertTrue(texts(coverage.path("faults").path("never"), null).contains("UNSIGNED"));
    assertEquals(coverage, MAPPER.readTree(sandbox.coverage().toString()), "the Java handle reads the same report");
    ControlPlane.Answer html = call("GET", "/coverage.html", null);
    assertTrue(html.contentType.startsWith("text/html") && html.body.contains("createDeliveryPlan")
        && html.body.contains("GATEWAY_502"), html::toString);
  }

  @Test
  @Order(10)
  void unknownPathsAndMethodsAreRefusedNamingThem() {
    ControlPlane.Answer missing = control.call("GET", "/nothing", null);
    assertEquals(404, missing.status);
    assertTrue(missing.body.contains("openapi.yaml"), missing::toString);
    assertEquals(405, control.call("PATCH", "/state", "{}").status);
    assertEquals(400, control.call("POST", "/state", "[1]").status);
  }

  @Test
  @Order(11)
  void aTokenGuardsTheControlPlaneWhenSet() {
    String token = "cp-test-token-0123456789";
    try (Sandbox guarded = Sandbox.start(SandboxSettings.builder().spec(ModulePaths.spec()).controlToken(token).build())) {
      assertEquals(401, new ControlPlane(guarded.uri(), null).call("GET", "/state", null).status);
      assertEquals(401, new ControlPlane(guarded.uri(), "wrong-token-0123456789").call("GET", "/state", null).status);
      assertEquals(200, new ControlPlane(guarded.uri(), token).call("GET", "/state", null).status);
      assertEquals(token, guarded.description().path("control_token").asText());
    }
  }

  @Test
  @Order(12)
  void theCoverageReportIsWrittenAtShutdown(@TempDir Path reports) throws Exception {
    try (Sandbox reported = Sandbox.start(SandboxSettings.builder().spec(ModulePaths.spec()).reportDir(reports).build())) {
      SpecDocument.SpecOperation op = SPEC.operation("createDeliveryPlan");
      RawCall.to(reported.uri(), op).body(op.requestExamples().values().iterator().next()).send();
    }
    JsonNode json = MAPPER.readTree(reports.resolve("coverage.json").toFile());
    assertEquals(1, json.path("operations").get(0).path("calls").asInt(), json::toString);
    assertEquals(List.of("401"), texts(json.path("operations").get(0).path("statuses").path("met"), null),
        "an unsigned call met 401 only");
    assertTrue(Files.readString(reports.resolve("coverage.html")).contains("SIGN_ERROR"));
  }

  @Test
  @Order(100)
  void everyOperationOfTheDocumentWasCalled() {
    assertEquals(new TreeSet<>(OPERATIONS.values()), new TreeSet<>(CALLED));
  }

  private static List<String> texts(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(n -> field == null ? n.asText() : n.path(field).asText()).collect(Collectors.toList());
  }
}
