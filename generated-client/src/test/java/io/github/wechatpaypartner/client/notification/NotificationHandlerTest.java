package io.github.wechatpaypartner.client.notification;

import io.github.wechatpaypartner.testing.FakeClients;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.model.ProductCouponSend;
import io.github.wechatpaypartner.client.notification.NotificationHandler.Answer;
import io.github.wechatpaypartner.client.notification.NotificationHandler.Outcome;
import io.github.wechatpaypartner.exception.ConfigurationException;
import io.github.wechatpaypartner.signing.notification.NotificationParser;
import io.github.wechatpaypartner.testkit.FakeWechatPay;
import io.github.wechatpaypartner.testing.SpecCallbacks;
import io.github.wechatpaypartner.testing.SpecExamples;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The exactly-once step on the spec's example callbacks: several handler instances (as on several
 * instances of an application) sharing one store run the action once per event id; a failed run
 * leaves the event to the next delivery.
 */
class NotificationHandlerTest {
  private static final String EVENT = "PRODUCT_COUPON_SP.SEND";
  private static final byte[] BODY = SpecCallbacks.body(EVENT);
  private static final String EVENT_ID = SpecCallbacks.example(EVENT).path("value").path("id").asText();

  private final ExecutorService deliveries = Executors.newCachedThreadPool();
  private final AtomicInteger runs = new AtomicInteger();

  @AfterEach
  void stopDeliveries() {
    deliveries.shutdownNow();
  }

  /** A parser as each instance of an application would build it: its own client, the same keys. */
  private static NotificationParser parser() {
    return FakeClients.builder(new FakeWechatPay()).apiV3Key(SpecCallbacks.apiV3Key(EVENT)).build()
        .notificationParser().orElseThrow();
  }

  private static Answer deliver(NotificationHandler handler, NotificationHandler.Action action) {
    return handler.handle(SpecCallbacks.signedHeaders(BODY), BODY, action);
  }

  @Test
  void threeInstancesReceivingTheSameCallbackAtOnceRunTheActionOnce() throws Exception {
    EventStore shared = new InMemoryEventStore();
    List<NotificationHandler> instances = List.of(
        NotificationHandler.builder(parser()).store(shared).build(),
        NotificationHandler.builder(parser()).store(shared).build(),
        NotificationHandler.builder(parser()).store(shared).build());
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Answer>> answers = new ArrayList<>();
    for (NotificationHandler instance : instances) {
      answers.add(deliveries.submit(() -> {
        start.await();
        return deliver(instance, event -> {
          runs.incrementAndGet();
          ProductCouponSend sent = event.resourceAs(ProductCouponSend.class);
          assertEquals(EVENT_ID, event.id());
          assertTrue(sent.getCouponCode() != null, "the action sees the decrypted model");
          Thread.sleep(300); // the others arrive while it runs
        });
      }));
    }
    start.countDown();
    List<Outcome> outcomes = new ArrayList<>();
    for (Future<Answer> answer : answers) {
      Answer a = answer.get(10, TimeUnit.SECONDS);
      assertEquals(200, a.status(), a.toString());
      outcomes.add(a.outcome());
    }
    assertEquals(1, runs.get(), "the action ran once for three deliveries: " + outcomes);
    assertEquals(1, outcomes.stream().filter(o -> o == Outcome.HANDLED).count(), outcomes.toString());
    assertTrue(outcomes.stream().allMatch(o -> o == Outcome.HANDLED || o == Outcome.DUPLICATE), outcomes.toString());

    assertEquals(Outcome.DUPLICATE, deliver(instances.get(2), event -> runs.incrementAndGet()).outcome());
    assertEquals(1, runs.get(), "a later duplicate does not run the action");
  }

  @Test
  void anActionThatThrowsRunsAgainOnTheNextDelivery() {
    NotificationHandler handler = NotificationHandler.builder(parser()).build();

    Answer failed = deliver(handler, event -> {
      runs.incrementAndGet();
      throw new IllegalStateException("database down (secret detail)");
    });
    assertEquals(500, failed.status());
    assertEquals(Outcome.FAILED, failed.outcome());
    assertEquals(EVENT_ID, failed.eventId());
    String body = new String(failed.body(), StandardCharsets.UTF_8);
    assertTrue(body.startsWith("{\"code\":\"FAIL\",\"message\":"), body);
    assertTrue(!body.contains("secret"), "the action's exception text stays in the log: " + body);

    Answer retried = deliver(handler, event -> runs.incrementAndGet());
    assertEquals(Outcome.HANDLED, retried.outcome());
    assertEquals(2, runs.get(), "the next delivery ran the action again");

    assertEquals(Outcome.DUPLICATE, deliver(handler, event -> runs.incrementAndGet()).outcome());
    assertEquals(2, runs.get());
  }

  @Test
  void aDuplicateWaitingForAFailingRunTakesOverTheEvent() throws Exception {
    EventStore shared = new InMemoryEventStore();
    NotificationHandler first = NotificationHandler.builder(parser()).store(shared).build();
    NotificationHandler second = NotificationHandler.builder(parser()).store(shared)
        .duplicateWait(Duration.ofSeconds(10)).build();
    CountDownLatch firstRunning = new CountDownLatch(1);
    CountDownLatch secondWaiting = new CountDownLatch(1);

    Future<Answer> a = deliveries.submit(() -> deliver(first, event -> {
      firstRunning.countDown();
      secondWaiting.await();
      Thread.sleep(100);
      throw new IllegalStateException("failed after the duplicate arrived");
    }));
    firstRunning.await();
    Future<Answer> b = deliveries.submit(() -> {
      secondWaiting.countDown();
      return deliver(second, event -> runs.incrementAndGet());
    });

    assertEquals(Outcome.FAILED, a.get(10, TimeUnit.SECONDS).outcome());
    assertEquals(Outcome.HANDLED, b.get(10, TimeUnit.SECONDS).outcome());
    assertEquals(1, runs.get(), "the waiting duplicate ran the action once the first run failed");
  }

  @Test
  void aDuplicateOfARunStillGoingIsAnsweredAtOnceOrDeferred() throws Exception {
    EventStore shared = new InMemoryEventStore();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Future<Answer> slow = deliveries.submit(() -> deliver(
        NotificationHandler.builder(parser()).store(shared).build(), event -> {
          running.countDown();
          finish.await();
        }));
    running.await();

    Answer answered = deliver(NotificationHandler.builder(parser()).store(shared)
        .duplicateWait(Duration.ZERO).build(), event -> runs.incrementAndGet());
    assertEquals(200, answered.status());
    assertEquals(Outcome.IN_PROGRESS, answered.outcome());

    Answer deferred = deliver(NotificationHandler.builder(parser()).store(shared)
        .duplicateWait(Duration.ofMillis(120)).deferDuplicatesInProgress().build(), event -> runs.incrementAndGet());
    assertEquals(503, deferred.status());
    assertEquals(Outcome.IN_PROGRESS, deferred.outcome());
    assertEquals(0, runs.get());

    finish.countDown();
    assertEquals(Outcome.HANDLED, slow.get(10, TimeUnit.SECONDS).outcome());
  }

  @Test
  void callbacksThatAreNotFromTheServiceAreRefusedWithoutRunningTheAction() {
    NotificationHandler handler = NotificationHandler.builder(parser()).build();
    byte[] tampered = new String(BODY, StandardCharsets.UTF_8).replace(EVENT_ID, EVENT_ID + "0")
        .getBytes(StandardCharsets.UTF_8);

    Answer forged = handler.handle(SpecCallbacks.signedHeaders(BODY), tampered, event -> runs.incrementAndGet());
    assertEquals(401, forged.status());
    assertEquals(Outcome.REFUSED, forged.outcome());
    assertEquals(null, forged.eventId());

    byte[] notJson = "not json".getBytes(StandardCharsets.UTF_8);
    Answer unreadable = handler.handle(SpecCallbacks.signedHeaders(notJson)::get, notJson, event -> runs.incrementAndGet());
    assertEquals(400, unreadable.status());
    assertEquals(0, runs.get());
  }

  @Test
  void anUnreachableStoreThatRefusesIsAnswered503AndNothingRuns() {
    EventStore refusing = new EventStore() {
      @Override
      public Claim claim(String eventId, String owner, Duration lease) {
        throw new EventStoreException("store unreachable", null);
      }

      @Override
      public void markDone(String eventId, String owner, Duration retention) {
        throw new AssertionError("not claimed");
      }

      @Override
      public void release(String eventId, String owner) {
        throw new AssertionError("not claimed");
      }
    };
    Answer answer = deliver(NotificationHandler.builder(parser()).store(refusing).build(), event -> runs.incrementAndGet());
    assertEquals(503, answer.status());
    assertEquals(Outcome.STORE_UNAVAILABLE, answer.outcome());
    assertEquals(0, runs.get());
  }

  @Test
  void theClientHandsOutAHandlerOnlyWithTheApiV3Key() {
    WechatPayClient withKey = FakeClients.builder(new FakeWechatPay()).apiV3Key(SpecCallbacks.apiV3Key(EVENT)).build();
    assertEquals(Outcome.HANDLED, deliver(withKey.notificationHandler(new InMemoryEventStore()),
        event -> runs.incrementAndGet()).outcome());

    WechatPayClient withoutKey = FakeClients.builder(new FakeWechatPay()).build();
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> withoutKey.notificationHandler(new InMemoryEventStore()));
    assertTrue(e.getMessage().contains("apiV3Key"), e.getMessage());
  }

  @Test
  void theSuccessAnswerIsTheSpecsExample() {
    Answer ok = deliver(NotificationHandler.builder(parser()).build(), event -> { });
    com.fasterxml.jackson.databind.JsonNode tree = SpecExamples.spec().tree();
    String ref = tree.path("x-webhooks").path(EVENT).path("post").path("responses").path("2XX").path("$ref").asText();
    String example = tree.at(ref.substring(1)).path("content").path("application/json").path("examples")
        .elements().next().path("value").toString();
    assertArrayEquals(example.getBytes(StandardCharsets.UTF_8), ok.body());
  }
}
