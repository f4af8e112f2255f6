package io.github.wechatpaypartner.fleet.redis;

import io.github.wechatpaypartner.client.notification.EventStore;
import io.github.wechatpaypartner.client.notification.EventStoreException;
import io.github.wechatpaypartner.client.notification.InMemoryEventStore;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fleet's record of event ids, one Redis key per event: {@code SET NX PX} claims it for the
 * lease (the value is the claiming delivery's token), {@code SET PX} marks it done for the
 * retention, and a release deletes it only while it still holds the same token. Redis expires
 * every key by itself, so nothing needs cleaning up.
 *
 * <p>While Redis cannot be reached: {@link WhenUnreachable#FAIL_CLOSED} throws {@link
 * EventStoreException} (the delivery is answered 503); {@link WhenUnreachable#FAIL_OPEN} records in
 * this instance's memory instead, and a claim taken there is settled there.
 */
final class RedisEventStore implements EventStore {
  private static final byte[] DONE = "done".getBytes(StandardCharsets.UTF_8);
  /**
   * Delete only our own claim: Redis has no compare-and-delete command before 8.4 and Lettuce none
   * of its own, so this is the one-line script Redis documents for releasing a lock.
   */
  private static final String RELEASE_IF_OWNER =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

  private final RedisCommands<String, byte[]> redis;
  private final String prefix;
  private final WhenUnreachable whenUnreachable;
  private final RedisHealth health;
  private final InMemoryEventStore local = new InMemoryEventStore();
  /** Tokens of claims taken in {@link #local} during an outage. */
  private final Set<String> localClaims = ConcurrentHashMap.newKeySet();

  RedisEventStore(RedisCommands<String, byte[]> redis, String keyPrefix, WhenUnreachable whenUnreachable,
      RedisHealth health) {
    this.redis = redis;
    this.prefix = keyPrefix + "event:";
    this.whenUnreachable = whenUnreachable;
    this.health = health;
  }

  @Override
  public Claim claim(String eventId, String owner, Duration lease) {
    if (health.worthTrying()) {
      try {
        Claim claim = claimInRedis(prefix + eventId, bytes(owner), lease);
        health.answered();
        return claim;
      } catch (RedisException e) {
        health.failed(e);
        return unreachable(eventId, owner, lease, e);
      }
    }
    return unreachable(eventId, owner, lease, null);
  }

  private Claim claimInRedis(String key, byte[] owner, Duration lease) {
    while (true) {
      if ("OK".equals(redis.set(key, owner, SetArgs.Builder.nx().px(lease.toMillis())))) {
        return Claim.CLAIMED;
      }
      byte[] holder = redis.get(key);
      if (holder != null) {
        return Arrays.equals(holder, DONE) ? Claim.DONE : Claim.RUNNING;
      }
      // Expired between SET and GET: claim again.
    }
  }

  @Override
  public void markDone(String eventId, String owner, Duration retention) {
    if (localClaims.remove(owner)) {
      local.markDone(eventId, owner, retention);
      return;
    }
    try {
      redis.set(prefix + eventId, DONE, SetArgs.Builder.px(retention.toMillis()));
      health.answered();
    } catch (RedisException e) {
      health.failed(e);
      if (whenUnreachable == WhenUnreachable.FAIL_OPEN) {
        local.markDone(eventId, owner, retention);
      } else {
        throw new EventStoreException("Event " + eventId + " was handled but cannot be recorded as done: "
            + "Redis is unreachable; its claim lapses with its lease", e);
      }
    }
  }

  @Override
  public void release(String eventId, String owner) {
    if (localClaims.remove(owner)) {
      local.release(eventId, owner);
      return;
    }
    try {
      redis.eval(RELEASE_IF_OWNER, ScriptOutputType.INTEGER, new String[] {prefix + eventId}, bytes(owner));
      health.answered();
    } catch (RedisException e) {
      health.failed(e);
      throw new EventStoreException("Event " + eventId + " cannot be released: Redis is unreachable; "
          + "its claim lapses with its lease", e);
    }
  }

  private Claim unreachable(String eventId, String owner, Duration lease, RedisException cause) {
    if (whenUnreachable == WhenUnreachable.FAIL_CLOSED) {
      throw new EventStoreException("Event " + eventId + " cannot be claimed: Redis is unreachable "
          + "(fail closed)", cause);
    }
    Claim claim = local.claim(eventId, owner, lease);
    if (claim == Claim.CLAIMED) {
      localClaims.add(owner);
    }
    return claim;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "RedisEventStore[keys " + prefix + "<event id>, when unreachable " + whenUnreachable + "]";
  }
}
