package io.github.wechatpaypartner.fleet.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.model.DeliveryPlanChange;
import io.github.wechatpaypartner.client.model.ProductCouponSend;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three instances of an application, each with its own client, Redis connection and callback URL,
 * receiving the same callback: the application's action runs once per event id across them.
 */
class FleetNotificationTest {
  @RegisterExtension
  static final EmbeddedRedis REDIS = new EmbeddedRedis();

  private static final String SUCCESS = "{\"code\":\"SUCCESS\",\"message\":\"OK\"}";

  private final List<RedisFleet> fleets = new ArrayList<>();
  private final List<CallbackEndpoint> instances = new ArrayList<>();
  private final ExecutorService service = Executors.newCachedThreadPool();
  private final AtomicInteger runs = new AtomicInteger();

  @BeforeEach
  void startThreeInstances(TestInfo test) throws Exception {
    for (int i = 0; i < 3; i++) {
      RedisFleet fleet = RedisFleet.builder(REDIS.uri()).keyPrefix(test.getDisplayName() + ":").build();
      fleets.add(fleet);
      WechatPayClient client = RateLimitedWechatPay.merchantClient()
          .apiV3Key(new SpecCallback("PRODUCT_COUPON_SP.SEND").apiV3Key).build();
      instances.add(new CallbackEndpoint(client.notificationHandler(fleet.eventStore())));
    }
  }

  @AfterEach
  void stopInstances() {
    service.shutdownNow();
    instances.forEach(CallbackEndpoint::close);
    fleets.forEach(RedisFleet::close);
  }

  @Test
  void theSameCallbackPostedToThreeInstancesAtOnceRunsTheActionOnce() throws Exception {
    SpecCallback callback = new SpecCallback("PRODUCT_COUPON_SP.SEND");
    CountDownLatch start = new CountDownLatch(1);
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    for (CallbackEndpoint instance : instances) {
      instance.action(event -> {
        runs.incrementAndGet();
        assertEquals(callback.eventId, event.id());
        assertTrue(event.resourceAs(ProductCouponSend.class).getCouponCode() != null);
        Thread.sleep(300); // the other deliveries arrive while this one runs
      });
      answers.add(service.submit(() -> {
        start.await();
        return instance.deliver(callback);
      }));
    }
    start.countDown();
    for (Future<HttpResponse<String>> answer : answers) {
      HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
      assertEquals(200, response.statusCode(), response.body());
      assertEquals(SUCCESS, response.body());
    }
    assertEquals(1, runs.get(), "three deliveries at once ran the action once");

    assertEquals(200, instances.get(1).deliver(callback).statusCode());
    assertEquals(1, runs.get(), "a later delivery to another instance does not run it again");
  }

  @Test
  void anActionThatThrowsRunsAgainOnTheNextDeliveryWhereverItLands() throws Exception {
    SpecCallback callback = new SpecCallback("DELIVERY_PLAN.CHANGE");
    instances.get(0).action(event -> {
      runs.incrementAndGet();
      throw new IllegalStateException("the plan table is locked");
    });
    HttpResponse<String> failed = instances.get(0).deliver(callback);
    assertEquals(500, failed.statusCode());
    assertTrue(failed.body().startsWith("{\"code\":\"FAIL\",\"message\":"), failed.body());

    instances.get(2).action(event -> {
      runs.incrementAndGet();
      assertTrue(event.resourceAs(DeliveryPlanChange.class).getPlanId() != null);
    });
    HttpResponse<String> retried = instances.get(2).deliver(callback);
    assertEquals(200, retried.statusCode(), retried.body());
    assertEquals(2, runs.get(), "the next delivery, on another instance, ran the action again");

    instances.get(1).action(event -> runs.incrementAndGet());
    assertEquals(200, instances.get(1).deliver(callback).statusCode());
    assertEquals(2, runs.get(), "once handled, not again");
  }
}
