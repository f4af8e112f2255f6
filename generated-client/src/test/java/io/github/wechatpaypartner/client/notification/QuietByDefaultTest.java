package io.github.wechatpaypartner.client.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest;
import io.github.wechatpaypartner.client.notification.NotificationHandler.Answer;
import io.github.wechatpaypartner.client.notification.NotificationHandler.Outcome;
import io.github.wechatpaypartner.exception.NotificationVerificationException;
import io.github.wechatpaypartner.exception.ResponseVerificationException;
import io.github.wechatpaypartner.exception.VerificationCheck;
import io.github.wechatpaypartner.testing.FakeClients;
import io.github.wechatpaypartner.testing.SpecCallbacks;
import io.github.wechatpaypartner.testing.SpecExamples;
import io.github.wechatpaypartner.testkit.FakeWechatPay;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing the SDK does on the client path reaches the default logging output: System.Logger
 * goes to java.util.logging, whose default console handler prints INFO and above to stderr. A
 * handler on the root logger sees exactly the records that would be printed. Refused callbacks,
 * which anyone can cause by POSTing to the endpoint, are counted instead ({@code refusedCount()}).
 */
class QuietByDefaultTest {
  private static final String EVENT = "PRODUCT_COUPON_SP.SEND";
  private static final byte[] BODY = SpecCallbacks.body(EVENT);

  private final List<LogRecord> printed = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      if (r.getLevel().intValue() >= Level.INFO.intValue() && r.getLoggerName() != null
          && r.getLoggerName().startsWith("io.github.wechatpaypartner")) {
        printed.add(r);
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  @BeforeEach
  void listen() {
    Logger.getLogger("").addHandler(capture);
  }

  @AfterEach
  void stopListening() {
    Logger.getLogger("").removeHandler(capture);
  }

  @Test
  void refusedCallbacksPrintNothingAndAreCounted() {
    NotificationHandler handler = client(new FakeWechatPay()).notificationHandler(new InMemoryEventStore());
    byte[] forged = new String(BODY, StandardCharsets.UTF_8).replace("\"id\"", "\"id\" ").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 3; i++) {
      Answer refused = handler.handle(SpecCallbacks.signedHeaders(BODY), forged, event -> {
        throw new AssertionError("a refused callback ran the action");
      });
      assertEquals(401, refused.status());
      assertEquals(Outcome.REFUSED, refused.outcome());
      NotificationVerificationException cause = assertInstanceOf(NotificationVerificationException.class,
          refused.cause().orElseThrow(), "the application gets the reason to log as it likes");
      assertEquals(VerificationCheck.BAD_SIGNATURE, cause.check());
    }
    Answer unreadable = handler.handle(Map.of(), "not json".getBytes(StandardCharsets.UTF_8), event -> { });
    assertEquals(Outcome.REFUSED, unreadable.outcome());
    assertEquals(4, handler.refusedCount());

    Answer failed = handler.handle(SpecCallbacks.signedHeaders(BODY), BODY, event -> {
      throw new IllegalStateException("database down");
    });
    assertEquals(Outcome.FAILED, failed.outcome());
    assertEquals("database down", failed.cause().orElseThrow().getMessage());
    Answer handled = handler.handle(SpecCallbacks.signedHeaders(BODY), BODY, event -> { });
    assertEquals(Outcome.HANDLED, handled.outcome());
    assertTrue(handled.cause().isEmpty());
    assertEquals(Outcome.DUPLICATE, handler.handle(SpecCallbacks.signedHeaders(BODY), BODY, event -> { }).outcome());
    assertEquals(4, handler.refusedCount(), "only refusals are counted");
    assertNothingPrinted();
  }

  @Test
  void callsPrintNothingWhateverTheirOutcome() {
    FakeWechatPay service = new FakeWechatPay().then(
        FakeWechatPay.ok(SpecExamples.answer("createDeliveryPlan", 200)),
        FakeWechatPay.rateLimited("0"), FakeWechatPay.ok(SpecExamples.answer("createDeliveryPlan", 200)),
        FakeWechatPay.badlySigned(SpecExamples.answer("createDeliveryPlan", 200)));
    WechatPayClient client = client(service);
    CreateDeliveryPlanRequest request = SpecExamples.request("createDeliveryPlan", CreateDeliveryPlanRequest.class);
    client.deliveryPlanApi().createDeliveryPlan(request);
    client.deliveryPlanApi().createDeliveryPlan(request);
    assertThrows(ResponseVerificationException.class, () -> client.deliveryPlanApi().createDeliveryPlan(request));
    assertNothingPrinted();
  }

  private static WechatPayClient client(FakeWechatPay service) {
    return FakeClients.builder(service).apiV3Key(SpecCallbacks.apiV3Key(EVENT)).build();
  }

  private void assertNothingPrinted() {
    assertEquals("", printed.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage())
        .collect(Collectors.joining("\n")), "printed by default");
  }
}
