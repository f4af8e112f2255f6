package io.github.wechatpaypartner.client.runtime;

import io.github.wechatpaypartner.exception.Attempt;
import io.github.wechatpaypartner.exception.ConfigurationException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the client retries and how long it waits. Which hosts it fails over to is not a policy
 * but a fact of the spec ({@code servers}), overridable on the client's builder.
 * Immutable; build with {@link #builder()}, start from {@link #defaults()}.
 *
 * <p>Defaults: 3 attempts in all, within 30 s; backoff ceiling 500 ms doubling per attempt up to
 * 5 s (the actual wait is picked by {@link Jitter}); retried statuses 429 and 500, the two the
 * pages tell callers to retry later (429 "with the original parameters"). A retry resends the same
 * body, hence the same {@code out_request_no}.
 *
 * <p>The 30 s budget is a hard deadline of the call: it leaves room for a retry after an attempt
 * that used its whole 10 s ({@link Timeouts#DEFAULT}), and no attempt runs past it.
 */
public final class RetryPolicy {

  private static final RetryPolicy DEFAULTS = builder().build();

  private final int maxAttempts;
  private final Duration maxTotalTime;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Set<Integer> retryableStatuses;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.maxTotalTime = b.maxTotalTime;
    this.baseDelay = b.baseDelay;
    this.maxDelay = b.maxDelay;
    this.retryableStatuses = Collections.unmodifiableSet(new TreeSet<>(b.retryableStatuses));
  }

  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this policy's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.maxTotalTime = maxTotalTime;
    b.baseDelay = baseDelay;
    b.maxDelay = maxDelay;
    b.retryableStatuses = new TreeSet<>(retryableStatuses);
    return b;
  }

  /** Attempts in all, the first one included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The budget of the whole call: no wait starts that would end after this much time since the
   * call began, and no attempt outlives it (each attempt's deadline is the earlier of
   * {@link Timeouts#attempt()} and what is left of this budget).
   */
  public Duration maxTotalTime() {
    return maxTotalTime;
  }

  /** Backoff ceiling before the first retry; it doubles for each further retry. */
  public Duration baseDelay() {
    return baseDelay;
  }

  /** The backoff ceiling never grows past this ({@code Retry-After} is not capped by it). */
  public Duration maxDelay() {
    return maxDelay;
  }

  /** HTTP statuses answered by the service that are retried (sorted). */
  public Set<Integer> retryableStatuses() {
    return retryableStatuses;
  }

  /**
   * The ceiling of the backoff wait after {@code attemptsMade} attempts:
   * {@code min(maxDelay, baseDelay * 2^(attemptsMade - 1))}.
   */
  public Duration backoffCeiling(int attemptsMade) {
    long base = baseDelay.toNanos();
    long cap = maxDelay.toNanos();
    int shift = Math.max(0, Math.min(attemptsMade - 1, 62));
    if (base > (cap >> shift)) {
      return maxDelay;
    }
    return Duration.ofNanos(base << shift);
  }

  /**
   * Whether another attempt follows {@code outcome}, and after which wait: the one decision of the
   * retry loop, made from the classified answer alone.
   *
   * <ul>
   *   <li>an answer with a status in {@link #retryableStatuses()}: after its {@code Retry-After},
   *       else after a jittered backoff;
   *   <li>an unreachable host: at once on a host not tried yet ({@code freshHost}), else after a
   *       backoff;
   *   <li>a timeout: after a backoff, on the same host (the request may have arrived);
   *   <li>anything else (success, other statuses, verification failures, other I/O failures): no.
   * </ul>
   *
   * No attempt follows once {@link #maxAttempts()} are made, nor a wait that would end past
   * {@link #maxTotalTime()} since the call began.
   *
   * @param attemptsMade attempts made so far, the one that gave {@code outcome} included
   * @param elapsed time since the call began
   */
  public Decision decide(Outcome outcome, int attemptsMade, Duration elapsed, boolean freshHost,
      Jitter jitter) {
    Attempt.Wait reason;
    Duration wait;
    switch (outcome.kind()) {
      case SERVICE_ERROR:
      case GATEWAY_ERROR:
        if (!retryableStatuses.contains(outcome.statusCode())) {
          return Decision.stop("HTTP " + outcome.statusCode() + " is not retried");
        }
        reason = outcome.retryAfter().isPresent() ? Attempt.Wait.RETRY_AFTER : Attempt.Wait.BACKOFF;
        wait = outcome.retryAfter().orElseGet(() -> backoff(attemptsMade, jitter));
        break;
      case UNREACHABLE:
        reason = freshHost ? Attempt.Wait.FAILOVER : Attempt.Wait.BACKOFF;
        wait = freshHost ? Duration.ZERO : backoff(attemptsMade, jitter);
        break;
      case TIMED_OUT:
        reason = Attempt.Wait.BACKOFF;
        wait = backoff(attemptsMade, jitter);
        break;
      case FAILED:
        return Decision.stop("not retried: " + outcome.failure().map(f -> f.getClass().getSimpleName())
            .orElse("the failure") + " is neither a connection failure nor a timeout, and the request"
            + " may have been processed");
      default:
        return Decision.stop(outcome.kind() == Outcome.Kind.SUCCESS ? "succeeded" : "not retried");
    }
    if (attemptsMade >= maxAttempts) {
      return Decision.stop("maxAttempts (" + maxAttempts + ") reached");
    }
    if (wait.compareTo(maxTotalTime.minus(elapsed)) > 0) {
      String what = reason == Attempt.Wait.RETRY_AFTER ? "Retry-After" : "the backoff";
      return Decision.stop("waiting " + millis(wait) + " (" + what + ") would pass maxTotalTime ("
          + maxTotalTime.toMillis() + " ms; " + elapsed.toMillis() + " ms elapsed)");
    }
    return Decision.retry(wait, reason);
  }

  private Duration backoff(int attemptsMade, Jitter jitter) {
    Duration ceiling = backoffCeiling(attemptsMade);
    Duration picked = jitter.pick(ceiling);
    if (picked == null || picked.isNegative()) {
      return Duration.ZERO;
    }
    return picked.compareTo(ceiling) > 0 ? ceiling : picked;
  }

  private static String millis(Duration d) {
    // A Retry-After of Long.MAX_VALUE seconds does not fit in toMillis().
    return d.getSeconds() > 1_000_000_000L ? d.getSeconds() + " s" : d.toMillis() + " ms";
  }

  /** The policy's answer after one attempt: retry after a wait, or stop (and why). */
  public static final class Decision {
    private final Duration wait;
    private final Attempt.Wait reason;
    private final String stopReason;

    private Decision(Duration wait, Attempt.Wait reason, String stopReason) {
      this.wait = wait;
      this.reason = reason;
      this.stopReason = stopReason;
    }

    static Decision retry(Duration wait, Attempt.Wait reason) {
      return new Decision(wait, reason, null);
    }

    static Decision stop(String why) {
      return new Decision(null, null, why);
    }

    public boolean retry() {
      return stopReason == null;
    }

    /** The wait before the next attempt (when {@link #retry()}). */
    public Duration waitBefore() {
      return wait;
    }

    public Attempt.Wait waitReason() {
      return reason;
    }

    /** Why no attempt follows (when not {@link #retry()}). */
    public String stopReason() {
      return stopReason;
    }

    @Override
    public String toString() {
      return retry() ? "retry in " + millis(wait) + " (" + reason + ")" : "stop: " + stopReason;
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RetryPolicy)) {
      return false;
    }
    RetryPolicy p = (RetryPolicy) o;
    return maxAttempts == p.maxAttempts && maxTotalTime.equals(p.maxTotalTime)
        && baseDelay.equals(p.baseDelay) && maxDelay.equals(p.maxDelay)
        && retryableStatuses.equals(p.retryableStatuses);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, maxTotalTime, baseDelay, maxDelay, retryableStatuses);
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts + ", maxTotalTime=" + maxTotalTime.toMillis()
        + " ms, baseDelay=" + baseDelay.toMillis() + " ms, maxDelay=" + maxDelay.toMillis()
        + " ms, retryableStatuses=" + retryableStatuses + "}";
  }

  /** Validates each value as it is set, naming the field and the rule it breaks. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration maxTotalTime = Duration.ofSeconds(30);
    private Duration baseDelay = Duration.ofMillis(500);
    private Duration maxDelay = Duration.ofSeconds(5);
    private Set<Integer> retryableStatuses = new TreeSet<>(List.of(429, 500));

    private Builder() {
    }

    /** Attempts in all, the first included; 1 turns retries off. */
    public Builder maxAttempts(int value) {
      if (value < 1) {
        throw new ConfigurationException("RetryPolicy.maxAttempts must be at least 1, got " + value);
      }
      this.maxAttempts = value;
      return this;
    }

    public Builder maxTotalTime(Duration value) {
      this.maxTotalTime = positive(value, "maxTotalTime");
      return this;
    }

    public Builder baseDelay(Duration value) {
      this.baseDelay = positive(value, "baseDelay");
      return this;
    }

    public Builder maxDelay(Duration value) {
      this.maxDelay = positive(value, "maxDelay");
      return this;
    }

    /** Replaces the retried statuses; each must be 400-599 (a 2xx or 3xx is never retried). */
    public Builder retryableStatuses(int... statuses) {
      Set<Integer> set = new TreeSet<>();
      for (int s : statuses) {
        if (s < 400 || s > 599) {
          throw new ConfigurationException(
              "RetryPolicy.retryableStatuses must hold statuses from 400 to 599, got " + s);
        }
        set.add(s);
      }
      this.retryableStatuses = set;
      return this;
    }

    public RetryPolicy build() {
      if (maxDelay.compareTo(baseDelay) < 0) {
        throw new ConfigurationException("RetryPolicy.maxDelay (" + maxDelay
            + ") must not be shorter than RetryPolicy.baseDelay (" + baseDelay + ")");
      }
      return new RetryPolicy(this);
    }

    private static Duration positive(Duration value, String name) {
      return ConfigurationException.requirePositive("RetryPolicy." + name, value);
    }
  }
}
