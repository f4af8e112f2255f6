package io.github.wechatpaypartner.fleet.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.model.AddStockBundleRequest;
import io.github.wechatpaypartner.client.notification.NotificationHandler;
import io.github.wechatpaypartner.client.notification.NotificationHandler.Outcome;
import io.github.wechatpaypartner.exception.ConfigurationException;
import io.github.wechatpaypartner.exception.RateLimitException;
import io.github.wechatpaypartner.spec.SpecDocument;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis stopped in the middle of a run of calls and started again: the configured behaviour
 * while it is down (fail open with one warning, or fail closed), and the shared limit and event
 * record again once it is back, without restarting anything.
 */
class RedisOutageTest {
  @RegisterExtension
  static final EmbeddedRedis REDIS = new EmbeddedRedis();

  private static final String OPERATION = "addStockBundle";
  private static final AddStockBundleRequest REQUEST = FleetRateLimitTest.request(OPERATION, AddStockBundleRequest.class);
  private static final String PRODUCT_COUPON = SpecDocument.load().operation(OPERATION)
      .pathParameterExample("product_coupon_id");
  private static final Duration RECOVERY = Duration.ofSeconds(10);

  /** The fleet's log (System.Logger writes to java.util.logging by default). */
  private final Logger log = Logger.getLogger(RedisFleet.class.getName());
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public synchronized void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };
  private RateLimitedWechatPay service;
  private RedisFleet fleet;

  @BeforeEach
  void start() throws Exception {
    if (!REDIS.running()) {
      REDIS.start();
    }
    log.addHandler(capture);
    service = new RateLimitedWechatPay(0);
  }

  @AfterEach
  void stop() throws Exception {
    log.removeHandler(capture);
    if (fleet != null) {
      fleet.close();
    }

  }

  @Test
  void failOpenKeepsCallingAtEachInstancesOwnLimitWithOneWarningThenSharesTheLimitAgain() throws Exception {
    fleet = RedisFleet.builder(REDIS.uri()).keyPrefix("fail-open:").networkJitter(FleetRateLimitTest.TEST_JITTER)
        .rateLimitWhenUnreachable(WhenUnreachable.FAIL_OPEN).build();
    WechatPayClient client = service.clientBuilder().rateLimiter(fleet.rateLimiter()).build();
    String key = "fail-open:rate:" + RateLimitedWechatPay.KEYS.mchid() + ":" + OPERATION;

    calls(client, 5);
    assertTrue(exists(key), "the limit lives in Redis");

    REDIS.stop();
    service.reset();
    long down = System.nanoTime();
    calls(client, 25);
    Duration outage = Duration.ofNanos(System.nanoTime() - down);
    assertEquals(25, service.arrivals(OPERATION).size(), "every call went through while Redis was down");
    assertTrue(service.maxInAnySecond(OPERATION) <= 20, "still held to the limit by the instance itself");
    assertTrue(outage.toMillis() >= 1000, "25 calls at under 20/s take over a second: " + outage);
    assertEquals(1, warnings(), "one warning for the outage, not one per call");

    REDIS.start();
    awaitRecovery(() -> {
      calls(client, 1);  // goes through either way; Redis is asked again at most once a second
      if (!logged(Level.INFO, "answers again")) {
        throw new IllegalStateException("Redis not used again yet");
      }
    });
    assertEquals(1, warnings());
    calls(client, 3);
    assertTrue(exists(key), "the limit is shared through Redis again");
    assertEquals(0, service.tooManyRequests());
  }

  @Test
  void failClosedRefusesToSendWhileRedisIsDownThenCallsAgain() throws Exception {
    fleet = RedisFleet.builder(REDIS.uri()).keyPrefix("fail-closed:")
        .rateLimitWhenUnreachable(WhenUnreachable.FAIL_CLOSED).build();
    WechatPayClient client = service.clientBuilder().rateLimiter(fleet.rateLimiter()).build();

    calls(client, 5);
    REDIS.stop();
    for (int i = 0; i < 5; i++) {
      long before = System.nanoTime();
      RateLimitException refused = assertThrows(RateLimitException.class, () -> calls(client, 1));
      assertTrue(refused.getMessage().contains("fail closed"), refused.getMessage());
      assertTrue(System.nanoTime() - before < Duration.ofSeconds(2).toNanos(), "refused without a long wait");
    }
    assertEquals(5, service.arrivals(OPERATION).size(), "nothing was sent while Redis was down");
    assertEquals(1, warnings());

    REDIS.start();
    awaitRecovery(() -> calls(client, 1));
    calls(client, 3);
    assertTrue(service.arrivals(OPERATION).size() >= 9, "calls go out again");
  }

  @Test
  void notificationsAreAnswered503WhileRedisIsDownThenHandledOnceWhenItIsBack() throws Exception {
    fleet = RedisFleet.builder(REDIS.uri()).keyPrefix("events:").build();  // events fail closed by default
    SpecCallback callback = new SpecCallback("PRODUCT_COUPON_SP.SEND");
    NotificationHandler handler = RateLimitedWechatPay.merchantClient().apiV3Key(callback.apiV3Key).build()
        .notificationHandler(fleet.eventStore());
    AtomicInteger runs = new AtomicInteger();

    REDIS.stop();
    NotificationHandler.Answer refused = handler.handle(callback.headers(), callback.body, event -> runs.incrementAndGet());
    assertEquals(503, refused.status());
    assertEquals(Outcome.STORE_UNAVAILABLE, refused.outcome());
    assertEquals(0, runs.get(), "nothing runs without the shared record");

    REDIS.start();
    awaitRecovery(() -> {
      NotificationHandler.Answer answer = handler.handle(callback.headers(), callback.body, event -> runs.incrementAndGet());
      if (!answer.success()) {
        throw new IllegalStateException("not yet: " + answer);
      }
    });
    assertEquals(1, runs.get());
    assertEquals(Outcome.DUPLICATE,
        handler.handle(callback.headers(), callback.body, event -> runs.incrementAndGet()).outcome());
    assertEquals(1, runs.get());
  }

  @Test
  void aFleetCannotStartWithoutRedis() throws Exception {
    REDIS.stop();
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> RedisFleet.builder(REDIS.uri()).build());
    assertTrue(e.getMessage().contains("127.0.0.1:" + REDIS.port()), e.getMessage());
  }

  private void calls(WechatPayClient client, int count) {
    for (int i = 0; i < count; i++) {
      client.productCouponApi().addStockBundle(PRODUCT_COUPON, REQUEST);
    }
  }

  /** Retries {@code call} until it succeeds; fails when Redis is not used again within {@link #RECOVERY}. */
  private static void awaitRecovery(Runnable call) throws InterruptedException {
    long deadline = System.nanoTime() + RECOVERY.toNanos();
    while (true) {
      try {
        call.run();
        return;
      } catch (RuntimeException e) {
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError("not recovered within " + RECOVERY, e);
        }
        Thread.sleep(100);
      }
    }
  }

  private long warnings() {
    synchronized (capture) {
      return records.stream().filter(r -> r.getLevel() == Level.WARNING).count();
    }
  }

  private boolean logged(Level level, String text) {
    synchronized (capture) {
      return records.stream().anyMatch(r -> r.getLevel() == level && r.getMessage().contains(text));
    }
  }

  private static boolean exists(String key) {
    RedisClient client = RedisClient.create(REDIS.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return connection.sync().exists(key) == 1;
    } finally {
      client.shutdown();
    }
  }
}
