package io.github.wechatpaypartner.fleet.redis;

import io.github.wechatpaypartner.client.notification.EventStore;
import io.github.wechatpaypartner.client.runtime.RateLimiter;
import io.github.wechatpaypartner.exception.ConfigurationException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One Redis connection shared by the fleet-wide pieces of an application instance: the {@link
 * #rateLimiter()} every client of the instance asks before each attempt, and the {@link
 * #eventStore()} its notification handler records event ids in. Every instance of the application
 * points at the same Redis, so they share one limit per merchant and operation and one record of
 * handled events.
 *
 * <pre>{@code
 * RedisFleet fleet = RedisFleet.builder("redis://redis.internal:6379").build();   // once per instance
 * WechatPayClient client = WechatPayClient.builder() ... .rateLimiter(fleet.rateLimiter()).build();
 * NotificationHandler notifications = client.notificationHandler(fleet.eventStore());
 * }</pre>
 *
 * <p>Redis must be reachable when the fleet is built. Afterwards an outage is handled as
 * configured ({@link Builder#rateLimitWhenUnreachable}, {@link Builder#eventsWhenUnreachable}),
 * with one warning per outage and an info line when Redis answers again; the connection comes
 * back by itself. Thread-safe; close it when the instance stops.
 */
public final class RedisFleet implements AutoCloseable {
  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final RedisRateLimiter rateLimiter;
  private final RedisEventStore eventStore;

  private RedisFleet(Builder b) {
    this.resources = ClientResources.builder()
        // Back within a second of Redis returning (Lettuce's default backs off up to 30 s).
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build();
    // The URI's timeout bounds the synchronous commands (Lettuce's default is 60 s). Its
    // toString() masks the password, so messages may show it.
    this.client = RedisClient.create(resources, RedisURI.builder(b.uri).withTimeout(b.commandTimeout).build());
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        // While disconnected, fail at once instead of queueing: the fallback decides, not a queue.
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(b.commandTimeout).build())
        .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout))
        .build());
    try {
      this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    } catch (RedisException e) {
      client.shutdown();
      resources.shutdown();
      throw new ConfigurationException("Cannot connect to Redis at " + b.uri + ": " + e.getMessage(), e);
    }
    RedisHealth health = new RedisHealth("Redis at " + b.uri, b.rateLimitWhenUnreachable,
        b.eventsWhenUnreachable);
    this.rateLimiter = new RedisRateLimiter(connection, b.keyPrefix, b.maxWait, b.burst, b.networkJitter,
        b.commandTimeout, b.rateLimitWhenUnreachable, health);
    this.eventStore = new RedisEventStore(connection.sync(), b.keyPrefix, b.eventsWhenUnreachable, health);
  }

  /** @param redisUri e.g. {@code redis://redis.internal:6379/0}, {@code rediss://:password@host:6380} */
  public static Builder builder(String redisUri) {
    return new Builder(RedisURI.create(Objects.requireNonNull(redisUri, "redisUri")));
  }

  public static Builder builder(RedisURI redisUri) {
    return new Builder(Objects.requireNonNull(redisUri, "redisUri"));
  }

  /** The limit shared by the fleet, for {@code WechatPayClient.Builder#rateLimiter}. */
  public RateLimiter rateLimiter() {
    return rateLimiter;
  }

  /** The record of event ids shared by the fleet, for {@code WechatPayClient#notificationHandler}. */
  public EventStore eventStore() {
    return eventStore;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
    resources.shutdown();
  }

  @Override
  public String toString() {
    return "RedisFleet[" + rateLimiter + ", " + eventStore + "]";
  }

  /** Settings of a fleet connection. Not thread-safe. */
  public static final class Builder {
    private final RedisURI uri;
    private String keyPrefix = "wechatpay-partner:";
    private Duration commandTimeout = Duration.ofSeconds(1);
    private Duration maxWait = Duration.ofSeconds(10);
    private int burst;
    private Duration networkJitter = Duration.ofMillis(50);
    private WhenUnreachable rateLimitWhenUnreachable = WhenUnreachable.FAIL_OPEN;
    private WhenUnreachable eventsWhenUnreachable = WhenUnreachable.FAIL_CLOSED;

    private Builder(RedisURI uri) {
      this.uri = uri;
    }

    /**
     * Prefix of every key this fleet writes (default {@code wechatpay-partner:}); keys are
     * {@code <prefix>rate:<mchid>:<operationId>} and {@code <prefix>event:<event id>}. Give
     * applications sharing one Redis but not one limit different prefixes.
     */
    public Builder keyPrefix(String prefix) {
      Objects.requireNonNull(prefix, "keyPrefix");
      this.keyPrefix = prefix;
      return this;
    }

    /** The longest a Redis command may take before it counts as Redis being unreachable (default 1 s). */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = positive(timeout, "commandTimeout");
      return this;
    }

    /**
     * The longest an attempt waits for a permit (default 10 s). An attempt that would wait longer
     * fails at once with {@code RateLimitException}, nothing sent; {@link Duration#ZERO} never waits.
     */
    public Builder maxWait(Duration maxWait) {
      this.maxWait = notNegative(maxWait, "maxWait");
      return this;
    }

    /**
     * Attempts that may go at once after a quiet spell, beyond the steady spacing (default 0: the
     * fleet's attempts of an operation are spaced evenly). The service then sees at most the
     * spec's limit plus {@code burst} in any one second.
     */
    public Builder burst(int burst) {
      if (burst < 0) {
        throw new IllegalArgumentException("burst must not be negative, got " + burst);
      }
      this.burst = burst;
      return this;
    }

    /**
     * How much the network delay of two requests may differ and the service still count no more
     * than the limit in a second (default 50 ms): each operation's permits are spread over one
     * second plus this, so a full-rate fleet sends 20 per 1.05 s.
     */
    public Builder networkJitter(Duration jitter) {
      this.networkJitter = notNegative(jitter, "networkJitter");
      return this;
    }

    /**
     * What the rate limiter does while Redis cannot be reached (default {@link
     * WhenUnreachable#FAIL_OPEN}: each instance holds its own in-process limit, so the fleet may
     * meet the service's 429s, which the client retries).
     */
    public Builder rateLimitWhenUnreachable(WhenUnreachable behaviour) {
      this.rateLimitWhenUnreachable = Objects.requireNonNull(behaviour, "rateLimitWhenUnreachable");
      return this;
    }

    /**
     * What the event store does while Redis cannot be reached (default {@link
     * WhenUnreachable#FAIL_CLOSED}: deliveries are answered 503 and the service delivers them again
     * later; nothing runs twice).
     */
    public Builder eventsWhenUnreachable(WhenUnreachable behaviour) {
      this.eventsWhenUnreachable = Objects.requireNonNull(behaviour, "eventsWhenUnreachable");
      return this;
    }

    /**
     * Connects to Redis.
     *
     * @throws ConfigurationException when Redis cannot be reached now
     */
    public RedisFleet build() {
      return new RedisFleet(this);
    }

    private static Duration positive(Duration d, String name) {
      if (notNegative(d, name).isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }

    private static Duration notNegative(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, got " + d);
      }
      return d;
    }
  }
}
