package io.github.wechatpaypartner.client.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Where the resilience decorators read the time and wait. Production code uses {@link #SYSTEM};
 * tests pass a fake that records the waits asked for and advances its own clock, so backoff,
 * {@code Retry-After} and rate limits are asserted without real sleeps.
 */
public interface TimeSource {

  /** Monotonic nanoseconds, for elapsed times (as {@link System#nanoTime()}). */
  long nanoTime();

  /** Wall-clock now, used only to turn an HTTP-date {@code Retry-After} into a delay. */
  Instant now();

  /** Blocks the calling thread for {@code delay}. */
  void sleep(Duration delay) throws InterruptedException;

  /**
   * An executor that runs its task once {@code delay} has passed, without holding a thread
   * while waiting (the async paths must never block a pool thread).
   */
  Executor after(Duration delay);

  /** The real clock; delayed tasks run on the common pool once their delay has passed. */
  TimeSource SYSTEM = new TimeSource() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public Instant now() {
      return Instant.now();
    }

    @Override
    public void sleep(Duration delay) throws InterruptedException {
      TimeUnit.NANOSECONDS.sleep(delay.toNanos());
    }

    @Override
    public Executor after(Duration delay) {
      return CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
      return "TimeSource.SYSTEM";
    }
  };
}
