package io.github.wechatpaypartner.spring.boot;

import io.github.wechatpaypartner.client.notification.EventStore;
import java.time.Duration;

/**
 * Records the event ids of one merchant under {@code <mchid>:<event id>} in a store that several
 * merchants share, so that two merchants' events with the same id are not taken for duplicates.
 */
final class MchidScopedEventStore implements EventStore {
  private final EventStore store;
  private final String prefix;

  MchidScopedEventStore(EventStore store, String mchid) {
    this.store = store;
    this.prefix = mchid + ":";
  }

  @Override
  public Claim claim(String eventId, String owner, Duration lease) {
    return store.claim(prefix + eventId, owner, lease);
  }

  @Override
  public void markDone(String eventId, String owner, Duration retention) {
    store.markDone(prefix + eventId, owner, retention);
  }

  @Override
  public void release(String eventId, String owner) {
    store.release(prefix + eventId, owner);
  }

  @Override
  public String toString() {
    return store + " (event ids under " + prefix + ")";
  }
}
