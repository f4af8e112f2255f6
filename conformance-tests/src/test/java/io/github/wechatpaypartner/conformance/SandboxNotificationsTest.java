package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.model.DeliveryPlanChange;
import io.github.wechatpaypartner.client.model.ProductCouponSend;
import io.github.wechatpaypartner.conformance.support.ExamplePaths;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.NotificationReceiver;
import io.github.wechatpaypartner.conformance.support.SuiteSandbox;
import io.github.wechatpaypartner.conformance.support.SpecCalls;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SentNotification;
import io.github.wechatpaypartner.sandbox.junit.SandboxExtension;
import io.github.wechatpaypartner.signing.notification.Notification;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Point 4 of the sandbox issue: state changes produce DELIVERY_PLAN.CHANGE and
 * PRODUCT_COUPON_SP.SEND, encrypted with the APIv3 key and signed like an answer (the client's own
 * notification parser verifies and decrypts them); a receiver that does not answer 2xx gets them
 * again on the spec's schedule, divided by the time scale (600 here: every 100 ms), at most the
 * documented number of times; each attempt and the receiver's answer are recorded.
 */
class SandboxNotificationsTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SuiteSandbox.perClass();
  private static final SpecDocument SPEC = SpecDocument.load(ModulePaths.spec());
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private Sandbox sandbox;
  private WechatPayClient client;
  private NotificationReceiver receiver;

  @BeforeEach
  void fresh(Sandbox sandbox, WechatPayClient client) {
    this.sandbox = sandbox;
    this.client = client;
    sandbox.reset();
    receiver = NotificationReceiver.start();
    sandbox.notifyUrl(receiver.url());
  }

  @AfterEach
  void stop() {
    receiver.close();
    sandbox.notifyUrl(null);
  }

  @Test
  void aNewPlanSendsDeliveryPlanChange() throws Exception {
    JsonNode plan = call("createDeliveryPlan").path("plan");
    NotificationReceiver.Received received = receiver.await(1, Duration.ofSeconds(10)).get(0);
    Notification n = client.notificationParser().orElseThrow().parse(received.headers, received.body);
    JsonNode envelopeExample = webhookExample("DELIVERY_PLAN.CHANGE");
    assertEquals("DELIVERY_PLAN.CHANGE", n.eventType());
    assertEquals(envelopeExample.path("summary").asText(), n.summary());
    assertEquals(envelopeExample.path("resource").path("original_type").asText(), n.originalType());
    DeliveryPlanChange change = n.resourceAs(DeliveryPlanChange.class);
    assertEquals(plan.path("plan_id").asText(), change.getPlanId());
    JsonNode resourceExample = SPEC.tree().path("components").path("schemas").path("DeliveryPlanChange").path("example");
    assertEquals(resourceExample.path("change_reason").asText(), change.getChangeReason());
    assertEquals(resourceExample.path("audit_state").asText(), change.getAuditState());

    SentNotification sent = sandbox.awaitNotifications(1, Duration.ofSeconds(10)).get(0);
    assertTrue(sent.delivered());
    assertEquals(List.of(200), statuses(sent));
    assertTrue(sent.attempts().get(0).answer.contains("SUCCESS"), "the receiver's answer is recorded");
    assertEquals(List.of(), sent.violations);
  }

  @Test
  void aNewBundleSendsProductCouponSendForItsFirstStock() throws Exception {
    JsonNode bundle = call("addStockBundle");
    NotificationReceiver.Received received = receiver.await(1, Duration.ofSeconds(10)).get(0);
    Notification n = client.notificationParser().orElseThrow().parse(received.headers, received.body);
    assertEquals("PRODUCT_COUPON_SP.SEND", n.eventType());
    ProductCouponSend send = n.resourceAs(ProductCouponSend.class);
    JsonNode first = bundle.path("stock_list").path(0);
    assertEquals(first.path("stock_id").asText(), send.getStockId());
    assertEquals(bundle.path("stock_bundle_id").asText(), send.getStockBundleId());
    assertEquals(first.path("product_coupon_id").asText(), send.getProductCouponId());
    assertEquals(first.path("notify_config").path("notify_appid").asText(), send.getAppid());
    assertEquals(1, sandbox.state().stock(send.getProductCouponId(), send.getStockId()).orElseThrow()
        .path("sent_count_info").path("total_count").asLong(), "the receipt counts as issued");
  }

  @Test
  void aFailedDeliveryIsSentAgainOnTheScaledScheduleWithTheSameIdAndANewSignature() throws Exception {
    receiver.answer(500, 503);
    call("createDeliveryPlan");
    List<NotificationReceiver.Received> received = receiver.await(3, Duration.ofSeconds(10));
    SentNotification sent = sandbox.awaitNotifications(1, Duration.ofSeconds(10)).get(0);
    assertEquals(List.of(500, 503, 200), statuses(sent));
    assertTrue(sent.delivered());
    assertEquals(1, received.stream().map(r -> new String(r.body)).distinct().count(), "the same envelope each time");
    assertEquals(3, received.stream().map(r -> r.headers.get("Wechatpay-Nonce")).distinct().count(), "signed anew");
    for (int i = 1; i < 3; i++) {
      long gap = Duration.between(sent.attempts().get(i - 1).sent, sent.attempts().get(i).sent).toMillis();
      assertTrue(gap >= 90, "resent after " + gap + " ms; the schedule is 60 s / 600");
    }
  }

  @Test
  void aReceiverThatNeverAcceptsGetsTheDocumentedNumberOfRetries() throws Exception {
    receiver.answer(500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500);
    call("createDeliveryPlan");
    SentNotification sent = sandbox.awaitNotifications(1, Duration.ofSeconds(20)).get(0);
    assertFalse(sent.delivered());
    // "resends every 60 seconds, at most 11 times": one send and 11 resends.
    assertEquals(12, sent.attempts().size(), sent::toString);
    assertEquals(12, receiver.received().size());
  }

  @Test
  void withoutANotifyUrlTheNotificationIsRecordedNotSent() throws Exception {
    sandbox.notifyUrl(null);
    call("createDeliveryPlan");
    SentNotification sent = sandbox.awaitNotifications(1, Duration.ofSeconds(5)).get(0);
    assertNull(sent.url);
    assertEquals(List.of(), sent.attempts());
    assertEquals("DELIVERY_PLAN.CHANGE", sent.eventType);
  }

  @Test
  void aCouponReceivedFromASingleStockCarriesNoBundleIds() throws Exception {
    var path = ExamplePaths.of(SPEC.operation("updateStockBudget"));
    JsonNode resource = sandbox.receiveCoupon(path.get("product_coupon_id"), path.get("stock_id"));
    NotificationReceiver.Received received = receiver.await(1, Duration.ofSeconds(10)).get(0);
    Notification n = client.notificationParser().orElseThrow().parse(received.headers, received.body);
    assertEquals(MAPPER.readTree(n.resourceJson()), resource);
    assertFalse(resource.has("stock_bundle_id"));
    assertNotEquals("", resource.path("coupon_code").asText());
  }

  private JsonNode call(String operationId) throws Exception {
    SpecDocument.SpecOperation op = SPEC.operation(operationId);
    return SpecCalls.callForTree(client, op, SpecCalls.firstExample(op));
  }

  private static List<Integer> statuses(SentNotification sent) {
    return sent.attempts().stream().map(a -> a.status).collect(Collectors.toList());
  }

  private static JsonNode webhookExample(String eventType) {
    JsonNode examples = SPEC.tree().path("x-webhooks").path(eventType).path("post").path("requestBody")
        .path("content").path("application/json").path("examples");
    return examples.elements().next().path("value");
  }
}
