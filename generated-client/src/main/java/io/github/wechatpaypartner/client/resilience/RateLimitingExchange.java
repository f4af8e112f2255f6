package io.github.wechatpaypartner.client.resilience;

import io.github.wechatpaypartner.client.hook.Exchange;
import io.github.wechatpaypartner.client.hook.IncomingResponse;
import io.github.wechatpaypartner.client.hook.OutgoingRequest;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Optional client-side rate limit: spaces the calls of each operation (by operationId) at least
 * {@code 1 / permitsPerSecond} apart, 20 per second by default (the limit the service documents
 * per operation), so a busy client waits instead of collecting 429 RATELIMIT_EXCEEDED answers.
 * A call waits for its slot; it is never refused. Spacing without burst keeps any one-second
 * window at or under the limit.
 *
 * <p>Waits are interruptible in {@link #execute} (the interrupt flag is set again before
 * {@link InterruptedException} is rethrown) and use a delayed executor in {@link #executeAsync},
 * blocking no thread. The limit is per instance: share one instance for one merchant account.
 * Wrap it inside a {@link RetryingExchange} so each retry also takes a permit.
 */
public final class RateLimitingExchange implements Exchange {

  /** The per-operation limit the service documents. */
  public static final double DEFAULT_PERMITS_PER_SECOND = 20.0;

  private static final System.Logger LOG = System.getLogger(RateLimitingExchange.class.getName());

  private final Exchange delegate;
  private final long defaultIntervalNanos;
  private final Map<String, Long> intervalNanosByOperation;
  private final TimeSource time;
  private final ConcurrentHashMap<String, Spacer> spacers = new ConcurrentHashMap<>();

  private RateLimitingExchange(Builder b) {
    this.delegate = b.delegate;
    this.defaultIntervalNanos = intervalNanos(b.permitsPerSecond);
    Map<String, Long> byOp = new HashMap<>();
    b.perOperation.forEach((op, rate) -> byOp.put(op, intervalNanos(rate)));
    this.intervalNanosByOperation = Map.copyOf(byOp);
    this.time = b.time;
  }

  /** 20 permits per second per operation, real clock. */
  public RateLimitingExchange(Exchange delegate) {
    this(builder(delegate));
  }

  public static Builder builder(Exchange delegate) {
    return new Builder(delegate);
  }

  @Override
  public IncomingResponse execute(OutgoingRequest request) throws IOException, InterruptedException {
    Duration wait = reserve(request);
    if (!wait.isZero()) {
      try {
        time.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw e;
      }
    }
    return delegate.execute(request);
  }

  @Override
  public CompletableFuture<IncomingResponse> executeAsync(OutgoingRequest request) {
    Duration wait = reserve(request);
    if (wait.isZero()) {
      return delegate.executeAsync(request);
    }
    return CompletableFuture.runAsync(() -> { }, time.after(wait))
        .thenCompose(ignored -> delegate.executeAsync(request));
  }

  /** Takes the operation's next slot and returns how long to wait for it. */
  Duration reserve(OutgoingRequest request) {
    String op = request.operationId();
    long now = time.nanoTime();
    Spacer spacer = spacers.computeIfAbsent(op,
        k -> new Spacer(intervalNanosByOperation.getOrDefault(k, defaultIntervalNanos), now));
    Duration wait = Duration.ofNanos(spacer.reserve(now));
    if (!wait.isZero()) {
      LOG.log(Level.DEBUG, () -> op + " " + request.method() + " " + request.uri().getRawPath()
          + " waits " + wait.toMillis() + " ms for a rate-limit permit");
    }
    return wait;
  }

  private static long intervalNanos(double permitsPerSecond) {
    return Math.max(1L, Math.round(1_000_000_000d / permitsPerSecond));
  }

  /** The next free slot of one operation. */
  private static final class Spacer {
    private final long intervalNanos;
    private long nextFree;

    Spacer(long intervalNanos, long now) {
      this.intervalNanos = intervalNanos;
      this.nextFree = now;
    }

    synchronized long reserve(long now) {
      // Compare by difference: nanoTime values may be negative or wrap.
      long slot = now - nextFree >= 0 ? now : nextFree;
      nextFree = slot + intervalNanos;
      return slot - now;
    }
  }

  public static final class Builder {
    private final Exchange delegate;
    private double permitsPerSecond = DEFAULT_PERMITS_PER_SECOND;
    private final Map<String, Double> perOperation = new HashMap<>();
    private TimeSource time = TimeSource.SYSTEM;

    private Builder(Exchange delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The limit for every operation without its own. */
    public Builder permitsPerSecond(double value) {
      this.permitsPerSecond = rate(value, "permitsPerSecond");
      return this;
    }

    /** The limit for one operation, e.g. {@code permitsPerSecond("createDeliveryPlan", 10)}. */
    public Builder permitsPerSecond(String operationId, double value) {
      Objects.requireNonNull(operationId, "RateLimitingExchange.operationId must not be null");
      perOperation.put(operationId, rate(value, "permitsPerSecond[" + operationId + "]"));
      return this;
    }

    public Builder timeSource(TimeSource value) {
      this.time = Objects.requireNonNull(value, "RateLimitingExchange.timeSource must not be null");
      return this;
    }

    public RateLimitingExchange build() {
      return new RateLimitingExchange(this);
    }

    private static double rate(double value, String name) {
      if (!(value > 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException(
            "RateLimitingExchange." + name + " must be a positive finite number, got " + value);
      }
      return value;
    }
  }
}
