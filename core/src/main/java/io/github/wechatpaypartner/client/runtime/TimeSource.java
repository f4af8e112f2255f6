package io.github.wechatpaypartner.client.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Where the client reads the time and waits between attempts. Production code uses {@link #SYSTEM};
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

  /** The real clock. */
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
    public String toString() {
      return "TimeSource.SYSTEM";
    }
  };
}
