package io.github.wechatpaypartner.client.runtime;

import io.github.wechatpaypartner.exception.ConfigurationException;
import io.github.wechatpaypartner.exception.RateLimitException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A rate limit for one JVM: spaces the attempts of each operation of each merchant at least
 * {@code 1 / permitsPerSecond} apart, so no one-second window holds more than the spec's limit
 * and a busy client waits instead of collecting 429 RATELIMIT_EXCEEDED. Spacing without burst
 * is the strictest reading of "20 per second".
 *
 * <p>A wait longer than {@link #maxWait()} is refused at once with {@link RateLimitException}
 * (nothing sent). Several instances of an application each hold their own limit: for a fleet use
 * a shared limiter. Thread-safe; one short lock per operation, held only to take a slot.
 */
public final class LocalRateLimiter implements RateLimiter {
  private static final System.Logger LOG = System.getLogger(LocalRateLimiter.class.getName());

  private final Duration maxWait;
  private final TimeSource time;
  private final ConcurrentHashMap<String, Spacer> spacers = new ConcurrentHashMap<>();

  private LocalRateLimiter(Duration maxWait, TimeSource time) {
    this.maxWait = maxWait;
    this.time = time;
  }

  /** Waits as long as it takes. */
  public static LocalRateLimiter unbounded() {
    return new LocalRateLimiter(null, TimeSource.SYSTEM);
  }

  /** Refuses an attempt that would wait longer than {@code maxWait}. */
  public static LocalRateLimiter withMaxWait(Duration maxWait) {
    return new LocalRateLimiter(ConfigurationException.requireNonNegative("LocalRateLimiter.maxWait", maxWait),
        TimeSource.SYSTEM);
  }

  /** The same limiter reading time from {@code time} (tests). */
  public LocalRateLimiter withTimeSource(TimeSource time) {
    return new LocalRateLimiter(maxWait, Objects.requireNonNull(time, "time"));
  }

  /** The longest wait accepted, or {@code null} for none. */
  public Duration maxWait() {
    return maxWait;
  }

  @Override
  public void acquire(String mchid, String operationId, int permitsPerSecond)
      throws InterruptedException {
    if (permitsPerSecond <= 0) {
      return;
    }
    long now = time.nanoTime();
    Spacer spacer = spacers.computeIfAbsent(mchid + '/' + operationId,
        k -> new Spacer(Math.max(1L, 1_000_000_000L / permitsPerSecond), now));
    long waitNanos = spacer.reserve(now, maxWait == null ? Long.MAX_VALUE : maxWait.toNanos());
    if (waitNanos < 0) {
      throw new RateLimitException(operationId + ": no rate-limit permit within " + maxWait.toMillis()
          + " ms (limit " + permitsPerSecond + "/s); nothing sent", operationId, Duration.ZERO, null);
    }
    if (waitNanos > 0) {
      Duration wait = Duration.ofNanos(waitNanos);
      LOG.log(Level.DEBUG, () -> operationId + " waits " + wait.toMillis() + " ms for a rate-limit permit");
      time.sleep(wait);
    }
  }

  @Override
  public String toString() {
    return "LocalRateLimiter[maxWait=" + (maxWait == null ? "none" : maxWait.toMillis() + " ms") + "]";
  }

  /** The next free slot of one operation of one merchant. */
  private static final class Spacer {
    private final long intervalNanos;
    private long nextFree;

    Spacer(long intervalNanos, long now) {
      this.intervalNanos = intervalNanos;
      this.nextFree = now;
    }

    /** The wait for the next slot, taken; or -1 (nothing taken) when it exceeds {@code maxWaitNanos}. */
    synchronized long reserve(long now, long maxWaitNanos) {
      // Compare by difference: nanoTime values may be negative or wrap.
      long slot = now - nextFree >= 0 ? now : nextFree;
      long wait = slot - now;
      if (wait > maxWaitNanos) {
        return -1;
      }
      nextFree = slot + intervalNanos;
      return wait;
    }
  }
}
