package io.github.wechatpaypartner.client.resilience;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link RetryingExchange} retries, how long it waits and which hosts it fails over to.
 * Immutable; build with {@link #builder()}, start from {@link #defaults()}.
 *
 * <p>Defaults: 3 attempts in all, within 30 s; backoff ceiling 500 ms doubling per attempt up to
 * 5 s (the actual wait is picked by {@link Jitter}); retried statuses 429 and 500, the two the
 * service documents as "retry later with the same parameters"; hosts
 * {@code https://api.mch.weixin.qq.com} then {@code https://api2.mch.weixin.qq.com}.
 *
 * <p>The 30 s budget leaves room for a retry after a request that used its whole 10 s request
 * timeout ({@link Timeouts#DEFAULT}); it is checked before each wait, so a call can last up to
 * the budget plus one request timeout.
 */
public final class RetryPolicy {

  public static final URI PRIMARY_HOST = URI.create("https://api.mch.weixin.qq.com");
  public static final URI BACKUP_HOST = URI.create("https://api2.mch.weixin.qq.com");

  private static final RetryPolicy DEFAULTS = builder().build();

  private final int maxAttempts;
  private final Duration maxTotalTime;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Set<Integer> retryableStatuses;
  private final List<URI> hosts;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.maxTotalTime = b.maxTotalTime;
    this.baseDelay = b.baseDelay;
    this.maxDelay = b.maxDelay;
    this.retryableStatuses = Collections.unmodifiableSet(new TreeSet<>(b.retryableStatuses));
    this.hosts = List.copyOf(b.hosts);
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
    b.hosts = new ArrayList<>(hosts);
    return b;
  }

  /** Attempts in all, the first one included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** No wait starts that would end after this much time since the call began. */
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

  /** Ordered origins (scheme, host, optional port) to fail over between; may be empty. */
  public List<URI> hosts() {
    return hosts;
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

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RetryPolicy)) {
      return false;
    }
    RetryPolicy p = (RetryPolicy) o;
    return maxAttempts == p.maxAttempts && maxTotalTime.equals(p.maxTotalTime)
        && baseDelay.equals(p.baseDelay) && maxDelay.equals(p.maxDelay)
        && retryableStatuses.equals(p.retryableStatuses) && hosts.equals(p.hosts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, maxTotalTime, baseDelay, maxDelay, retryableStatuses, hosts);
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts + ", maxTotalTime=" + maxTotalTime.toMillis()
        + " ms, baseDelay=" + baseDelay.toMillis() + " ms, maxDelay=" + maxDelay.toMillis()
        + " ms, retryableStatuses=" + retryableStatuses + ", hosts=" + hosts + "}";
  }

  /** Validates each value as it is set, naming the field and the rule it breaks. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration maxTotalTime = Duration.ofSeconds(30);
    private Duration baseDelay = Duration.ofMillis(500);
    private Duration maxDelay = Duration.ofSeconds(5);
    private Set<Integer> retryableStatuses = new TreeSet<>(List.of(429, 500));
    private List<URI> hosts = new ArrayList<>(List.of(PRIMARY_HOST, BACKUP_HOST));

    private Builder() {
    }

    /** Attempts in all, the first included; 1 turns retries off. */
    public Builder maxAttempts(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("RetryPolicy.maxAttempts must be at least 1, got " + value);
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
          throw new IllegalArgumentException(
              "RetryPolicy.retryableStatuses must hold statuses from 400 to 599, got " + s);
        }
        set.add(s);
      }
      this.retryableStatuses = set;
      return this;
    }

    /**
     * Replaces the failover hosts, in order. Each must be an origin: {@code http} or
     * {@code https}, a host, an optional port, and no path, query, fragment or user info.
     * An empty list turns failover off.
     */
    public Builder hosts(List<URI> values) {
      Objects.requireNonNull(values, "RetryPolicy.hosts must not be null");
      List<URI> list = new ArrayList<>();
      Set<String> seen = new TreeSet<>();
      for (int i = 0; i < values.size(); i++) {
        URI u = values.get(i);
        String field = "RetryPolicy.hosts[" + i + "]";
        if (u == null) {
          throw new IllegalArgumentException(field + " must not be null");
        }
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        boolean origin = ("https".equals(scheme) || "http".equals(scheme)) && u.getHost() != null
            && (u.getRawPath() == null || u.getRawPath().isEmpty() || "/".equals(u.getRawPath()))
            && u.getRawQuery() == null && u.getRawFragment() == null && u.getRawUserInfo() == null;
        if (!origin) {
          throw new IllegalArgumentException(field + " must be an origin such as "
              + BACKUP_HOST + " (http or https, host, optional port, nothing else), got " + u);
        }
        if (!seen.add(RetryingExchange.originKey(u))) {
          throw new IllegalArgumentException(field + " repeats an earlier host: " + u);
        }
        list.add(u);
      }
      this.hosts = list;
      return this;
    }

    public Builder hosts(URI... values) {
      return hosts(Arrays.asList(values));
    }

    public RetryPolicy build() {
      if (maxDelay.compareTo(baseDelay) < 0) {
        throw new IllegalArgumentException("RetryPolicy.maxDelay (" + maxDelay
            + ") must not be shorter than RetryPolicy.baseDelay (" + baseDelay + ")");
      }
      return new RetryPolicy(this);
    }

    private static Duration positive(Duration value, String name) {
      if (value == null) {
        throw new IllegalArgumentException("RetryPolicy." + name + " must not be null");
      }
      if (value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException("RetryPolicy." + name + " must be positive, got " + value);
      }
      return value;
    }
  }
}
