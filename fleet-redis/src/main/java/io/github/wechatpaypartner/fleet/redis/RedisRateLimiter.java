package io.github.wechatpaypartner.fleet.redis;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.wechatpaypartner.client.runtime.RateLimiter;
import io.github.wechatpaypartner.exception.RateLimitException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The spec's rate limit of each operation of each merchant, shared by every instance connected
 * to the same Redis: a Bucket4j token bucket per {@code <prefix>rate:<mchid>:<operationId>} in
 * Redis, holding {@code 1 + burst} permits and refilled at the operation's
 * {@code x-wechatpay-rate-limit} per (1 s + network jitter). Bucket4j keeps the bucket consistent
 * across instances (compare-and-swap in Redis) and makes an attempt wait by reserving its permit
 * in the bucket, so waiting attempts of the whole fleet are served in order, one Redis round trip
 * each. Idle buckets expire from Redis by themselves.
 *
 * <p>Time is read from each instance's wall clock (Bucket4j's client-side clock): keep the
 * instances' clocks synchronised (NTP), as skew shifts the spacing by the skew.
 */
final class RedisRateLimiter implements RateLimiter {
  private final ProxyManager<String> buckets;
  private final String prefix;
  private final Duration maxWait;
  private final int burst;
  private final Duration refillPeriod;
  private final WhenUnreachable whenUnreachable;
  private final RedisHealth health;
  private final ConcurrentHashMap<String, BucketProxy> shared = new ConcurrentHashMap<>();
  /** The same buckets in this JVM only, for {@link WhenUnreachable#FAIL_OPEN}. */
  private final ConcurrentHashMap<String, Bucket> local = new ConcurrentHashMap<>();

  RedisRateLimiter(StatefulRedisConnection<String, byte[]> connection, String keyPrefix, Duration maxWait,
      int burst, Duration networkJitter, Duration commandTimeout, WhenUnreachable whenUnreachable,
      RedisHealth health) {
    this.buckets = Bucket4jLettuce.casBasedBuilder(connection)
        .requestTimeout(commandTimeout)
        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
        .build();
    this.prefix = keyPrefix + "rate:";
    this.maxWait = maxWait;
    this.burst = burst;
    this.refillPeriod = Duration.ofSeconds(1).plus(networkJitter);
    this.whenUnreachable = whenUnreachable;
    this.health = health;
  }

  @Override
  public void acquire(String mchid, String operationId, int permitsPerSecond) throws InterruptedException {
    if (permitsPerSecond <= 0) {
      return;
    }
    if (!health.worthTrying()) {
      unreachable(mchid, operationId, permitsPerSecond, null);
      return;
    }
    String key = prefix + mchid + ":" + operationId;
    BucketProxy bucket = shared.computeIfAbsent(key + "/" + permitsPerSecond,
        k -> buckets.builder().build(key, () -> BucketConfiguration.builder().addLimit(bandwidth(permitsPerSecond)).build()));
    boolean granted;
    try {
      granted = take(bucket);
    } catch (RedisException | BucketExceptions.BucketExecutionException e) {
      // Lettuce could not reach Redis, or Bucket4j heard nothing back within the command timeout.
      health.failed(e);
      unreachable(mchid, operationId, permitsPerSecond, e);
      return;
    }
    health.answered();
    if (!granted) {
      throw refused(operationId, "fleet limit " + permitsPerSecond + "/s");
    }
  }

  /**
   * Takes a permit, waiting up to maxWait; false when none can be had by then. A Redis bucket
   * reserves the permit in Redis (or refuses when it is further off than maxWait), then sleeps here.
   */
  private boolean take(Bucket bucket) throws InterruptedException {
    return maxWait.isZero() ? bucket.tryConsume(1) : bucket.asBlocking().tryConsume(1, maxWait);
  }

  private RateLimitException refused(String operationId, String limit) {
    return new RateLimitException(operationId + ": no rate-limit permit within " + maxWait.toMillis()
        + " ms (" + limit + "); nothing sent", operationId, maxWait, null);
  }

  /** {@code 1 + burst} permits, refilled at the spec's limit per (1 s + network jitter). */
  private Bandwidth bandwidth(int permitsPerSecond) {
    return Bandwidth.builder().capacity(1L + burst).refillGreedy(permitsPerSecond, refillPeriod).build();
  }

  private void unreachable(String mchid, String operationId, int permitsPerSecond, RuntimeException cause)
      throws InterruptedException {
    if (whenUnreachable == WhenUnreachable.FAIL_CLOSED) {
      throw new RateLimitException(operationId + ": the fleet's rate limit in Redis cannot be reached "
          + "(fail closed); nothing sent", operationId, Duration.ZERO, cause);
    }
    Bucket bucket = local.computeIfAbsent(mchid + ":" + operationId + "/" + permitsPerSecond,
        k -> Bucket.builder().addLimit(bandwidth(permitsPerSecond)).build());
    if (!take(bucket)) {
      throw refused(operationId, "this instance's own limit " + permitsPerSecond + "/s, Redis unreachable");
    }
  }

  @Override
  public String toString() {
    return "RedisRateLimiter[keys " + prefix + "<mchid>:<operationId>, maxWait=" + maxWait.toMillis()
        + " ms, burst=" + burst + ", refill per " + refillPeriod.toMillis() + " ms, when unreachable "
        + whenUnreachable + "]";
  }
}
