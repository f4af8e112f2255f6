package io.github.wechatpaypartner.fleet.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.client.runtime.RateLimiter;
import io.github.wechatpaypartner.exception.RateLimitException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The settings of the shared limiter: burst, bounded wait, keys per merchant and operation. */
class RedisRateLimiterTest {
  @RegisterExtension
  static final EmbeddedRedis REDIS = new EmbeddedRedis();

  @Test
  void aQuietBucketLetsOnePlusBurstGoAtOnceThenRefusesPastMaxWait() throws Exception {
    // A refill period of 11 s (20 per 1 s + 10 s of jitter allowance) keeps refills out of the test's way.
    try (RedisFleet fleet = RedisFleet.builder(REDIS.uri()).keyPrefix("burst:").burst(4)
        .maxWait(Duration.ZERO).networkJitter(Duration.ofSeconds(10)).build()) {
      RateLimiter limiter = fleet.rateLimiter();
      for (int i = 0; i < 5; i++) {
        limiter.acquire("1900000001", "addStockBundle", 20);
      }
      RateLimitException refused = assertThrows(RateLimitException.class,
          () -> limiter.acquire("1900000001", "addStockBundle", 20));
      assertEquals("addStockBundle", refused.operationId());
      assertTrue(refused.getMessage().contains("nothing sent"), refused.getMessage());

      // Each merchant and each operation has its own bucket.
      limiter.acquire("1900000002", "addStockBundle", 20);
      limiter.acquire("1900000001", "updateStockBudget", 20);
      // An operation without a stated limit is never held.
      for (int i = 0; i < 50; i++) {
        limiter.acquire("1900000001", "createDeliveryPlan", 0);
      }
    }
  }

  @Test
  void settingsOutsideTheirRangeAreRefusedByName() {
    RedisFleet.Builder builder = RedisFleet.builder(REDIS.uri());
    IllegalArgumentException burst = assertThrows(IllegalArgumentException.class, () -> builder.burst(-1));
    assertTrue(burst.getMessage().startsWith("burst"), burst.getMessage());
    IllegalArgumentException wait = assertThrows(IllegalArgumentException.class,
        () -> builder.maxWait(Duration.ofMillis(-1)));
    assertTrue(wait.getMessage().startsWith("maxWait"), wait.getMessage());
    IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
        () -> builder.commandTimeout(Duration.ZERO));
    assertTrue(timeout.getMessage().startsWith("commandTimeout"), timeout.getMessage());
  }
}
