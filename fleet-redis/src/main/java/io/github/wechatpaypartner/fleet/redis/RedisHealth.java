package io.github.wechatpaypartner.fleet.redis;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether Redis answered last time, shared by the rate limiter and the event store of one fleet
 * connection: one warning when an outage begins, one info line when Redis answers again. While it
 * is down, Redis is tried again at most once per second, so an unanswered network (commands
 * timing out rather than refused) does not cost every caller the command timeout.
 */
final class RedisHealth {
  private static final System.Logger LOG = System.getLogger(RedisFleet.class.getName());
  private static final long PROBE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String redis;
  private final String behaviour;
  private final AtomicBoolean down = new AtomicBoolean();
  private volatile long lastFailure;

  RedisHealth(String redis, WhenUnreachable rateLimits, WhenUnreachable events) {
    this.redis = redis;
    this.behaviour = "rate limits " + (rateLimits == WhenUnreachable.FAIL_OPEN
        ? "fall back to each instance's own limit (fail open)"
        : "refuse attempts (fail closed)")
        + "; notifications " + (events == WhenUnreachable.FAIL_OPEN
        ? "are de-duplicated per instance only (fail open)"
        : "are answered 503 for a later delivery (fail closed)");
  }

  /** False while Redis is down and was tried less than a second ago. */
  boolean worthTrying() {
    return !down.get() || System.nanoTime() - lastFailure >= PROBE_INTERVAL_NANOS;
  }

  void answered() {
    if (down.compareAndSet(true, false)) {
      LOG.log(Level.INFO, redis + " answers again: the fleet shares its rate limits and event record again");
    }
  }

  void failed(RuntimeException cause) {
    lastFailure = System.nanoTime();
    if (down.compareAndSet(false, true)) {
      LOG.log(Level.WARNING, redis + " cannot be reached (" + cause + "): until it answers, " + behaviour);
    }
  }

  boolean down() {
    return down.get();
  }
}
