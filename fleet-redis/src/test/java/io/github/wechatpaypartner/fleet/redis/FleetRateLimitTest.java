package io.github.wechatpaypartner.fleet.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.SpecCatalog;
import io.github.wechatpaypartner.client.model.AddStockBundleRequest;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest;
import io.github.wechatpaypartner.client.model.UpdateStockBudgetRequest;
import io.github.wechatpaypartner.client.runtime.LocalRateLimiter;
import io.github.wechatpaypartner.client.runtime.Operation;
import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import io.github.wechatpaypartner.exception.ServiceException;
import io.github.wechatpaypartner.exception.WechatPayException;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Four instances of an application, each with its own client, all calling the rate-limited
 * operations flat out against one loopback WeChat Pay: with the limiter they share through Redis
 * the service sees at most the spec's limit in any second and answers no 429; with a limiter per
 * instance it sees four times the limit and answers 429s.
 */
class FleetRateLimitTest {
  @RegisterExtension
  static final EmbeddedRedis REDIS = new EmbeddedRedis();

  /**
   * Wider than the 50 ms default: here the four instances, the service and Redis share two busy
   * cores, so the time from a permit to its request's arrival varies with thread scheduling far
   * more than across a real network (with 50 ms this box measured 20 when quiet, 22 when loaded;
   * with 200 ms, 21 once under a load of 2 to 3).
   */
  static final Duration TEST_JITTER = Duration.ofMillis(400);
  private static final int INSTANCES = 4;
  private static final int THREADS_PER_OPERATION = 3;
  private static final ObjectMapper JSON = WechatPayJson.newObjectMapper();
  private static final SpecDocument SPEC = SpecDocument.load();
  /** The operations the spec limits (addStockBundle and updateStockBudget, 20/s) and their limits. */
  private static final Map<String, Integer> LIMITS = SpecCatalog.OPERATIONS.values().stream()
      .filter(op -> op.rateLimitPerSecond().isPresent())
      .collect(Collectors.toMap(Operation::id, op -> op.rateLimitPerSecond().getAsInt()));

  @Test
  void fourInstancesSharingTheRedisLimitStayWithinItAndMeetNo429() throws Exception {
    assertEquals(Map.of("addStockBundle", 20, "updateStockBudget", 20), LIMITS, "the spec's limits");
    List<RedisFleet> fleets = new ArrayList<>();
    RateLimitedWechatPay service = new RateLimitedWechatPay(0);
    try {
      List<WechatPayClient> instances = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        RedisFleet fleet = RedisFleet.builder(REDIS.uri()).keyPrefix("shared-limit:").networkJitter(TEST_JITTER).build();
        fleets.add(fleet);
        instances.add(service.clientBuilder().rateLimiter(fleet.rateLimiter()).build());
      }
      Load load = run(service, instances, Duration.ofSeconds(4));

      for (Map.Entry<String, Integer> limit : LIMITS.entrySet()) {
        int max = service.maxInAnySecond(limit.getKey());
        System.out.printf("shared Redis limit: %s max %d requests in any 1 s (limit %d), %d sent%n",
            limit.getKey(), max, limit.getValue(), service.arrivals(limit.getKey()).size());
        assertTrue(max <= limit.getValue(), limit.getKey() + ": " + max + " requests in one second");
        // Permits every (1 s + jitter) / limit: 15 fit in a second with 400 ms.
        long full = limit.getValue() * 1000L / (1000 + TEST_JITTER.toMillis()) + 1;
        assertTrue(max >= full - 2, limit.getKey() + " ran near its limit, not far below: " + max);
      }
      assertEquals(0, service.tooManyRequests(), "the service answered 429");
      assertEquals(List.of(), load.failures, "every call succeeded");
      assertEquals(0, service.refusedSignatures());
    } finally {
      fleets.forEach(RedisFleet::close);
    }
  }

  @Test
  void fourInstancesEachWithItsOwnInProcessLimitSendFourTimesTheLimit() throws Exception {
    RateLimitedWechatPay service = new RateLimitedWechatPay(0);
    List<WechatPayClient> instances = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      instances.add(service.clientBuilder().rateLimiter(LocalRateLimiter.unbounded()).build());
    }
    Load load = run(service, instances, Duration.ofSeconds(2));

    for (Map.Entry<String, Integer> limit : LIMITS.entrySet()) {
      int max = service.maxInAnySecond(limit.getKey());
      System.out.printf("per-instance limits: %s max %d requests in any 1 s (limit %d)%n",
          limit.getKey(), max, limit.getValue());
      assertTrue(max > 3 * limit.getValue(), limit.getKey() + ": only " + max + " requests in one second");
    }
    assertTrue(service.tooManyRequests() > 0, "the service answered no 429");
    assertTrue(load.failures.stream().allMatch(e -> e instanceof ServiceException
        && ((ServiceException) e).statusCode() == 429), "only 429s failed: " + load.failures);
    System.out.printf("per-instance limits: %d of %d calls met 429%n", load.failures.size(), load.calls.get());
  }

  /** What a load run saw on the client side. */
  private static final class Load {
    final AtomicInteger calls = new AtomicInteger();
    final List<WechatPayException> failures = new ArrayList<>();
  }

  /**
   * Warms each instance up on the unlimited operation (connections, JIT), then calls every limited
   * operation from {@link #THREADS_PER_OPERATION} threads per instance until {@code duration} ends.
   */
  private static Load run(RateLimitedWechatPay service, List<WechatPayClient> instances, Duration duration)
      throws Exception {
    CreateDeliveryPlanRequest plan = request("createDeliveryPlan", CreateDeliveryPlanRequest.class);
    instances.forEach(client -> client.deliveryPlanApi().createDeliveryPlan(plan));
    service.reset();

    Map<String, Consumer<WechatPayClient>> calls = calls();
    assertEquals(LIMITS.keySet(), calls.keySet(), "a call for every limited operation");
    Load load = new Load();
    ExecutorService threads = Executors.newFixedThreadPool(instances.size() * calls.size() * THREADS_PER_OPERATION);
    try {
      long end = System.nanoTime() + duration.toNanos();
      List<Future<?>> running = new ArrayList<>();
      for (WechatPayClient client : instances) {
        for (Consumer<WechatPayClient> call : calls.values()) {
          for (int t = 0; t < THREADS_PER_OPERATION; t++) {
            running.add(threads.submit(() -> {
              while (System.nanoTime() - end < 0) {
                load.calls.incrementAndGet();
                try {
                  call.accept(client);
                } catch (WechatPayException e) {
                  synchronized (load.failures) {
                    load.failures.add(e);
                  }
                }
              }
              return null;
            }));
          }
        }
      }
      for (Future<?> f : running) {
        f.get(duration.toSeconds() + 30, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    return load;
  }

  /** One call per limited operation, with the spec's request example and path parameters. */
  private static Map<String, Consumer<WechatPayClient>> calls() {
    Map<String, Consumer<WechatPayClient>> calls = new LinkedHashMap<>();
    AddStockBundleRequest bundle = request("addStockBundle", AddStockBundleRequest.class);
    String bundleCoupon = SPEC.operation("addStockBundle").pathParameterExample("product_coupon_id");
    calls.put("addStockBundle", client -> client.productCouponApi().addStockBundle(bundleCoupon, bundle));
    UpdateStockBudgetRequest budget = request("updateStockBudget", UpdateStockBudgetRequest.class);
    String budgetCoupon = SPEC.operation("updateStockBudget").pathParameterExample("product_coupon_id");
    String stock = SPEC.operation("updateStockBudget").pathParameterExample("stock_id");
    calls.put("updateStockBudget", client -> client.productCouponApi().updateStockBudget(budgetCoupon, stock, budget));
    return calls;
  }

  static <T> T request(String operationId, Class<T> type) {
    try {
      return JSON.treeToValue(SPEC.operation(operationId).requestExamples().values().iterator().next(), type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
