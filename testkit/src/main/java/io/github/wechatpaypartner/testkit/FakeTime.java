package io.github.wechatpaypartner.testkit;

import io.github.wechatpaypartner.client.runtime.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that only moves when asked to wait: each sleep records the wait it was
 * asked for and advances the clock by it, at once. Tests assert on {@link #waits()}, never on
 * wall time.
 */
public final class FakeTime implements TimeSource {
  private final Instant start;
  private final AtomicLong elapsedNanos = new AtomicLong();
  private final List<Duration> waits = new ArrayList<>();
  private InterruptedException sleepFailure;

  public FakeTime() {
    this(Instant.parse("2026-01-15T08:00:00Z"));
  }

  public FakeTime(Instant start) {
    this.start = start;
  }

  /** Makes the next sleep throw, as if the thread were interrupted while waiting. */
  public synchronized void interruptNextSleep() {
    sleepFailure = new InterruptedException("interrupted by the test");
  }

  public synchronized List<Duration> waits() {
    return List.copyOf(waits);
  }

  public void advance(Duration d) {
    elapsedNanos.addAndGet(d.toNanos());
  }

  @Override
  public long nanoTime() {
    // Offset from zero so code that compares nanoTime values by difference is exercised.
    return -5_000_000_000L + elapsedNanos.get();
  }

  @Override
  public Instant now() {
    return start.plusNanos(elapsedNanos.get());
  }

  @Override
  public void sleep(Duration delay) throws InterruptedException {
    synchronized (this) {
      if (sleepFailure != null) {
        InterruptedException e = sleepFailure;
        sleepFailure = null;
        throw e;
      }
      waits.add(delay);
    }
    advance(delay);
  }

}
