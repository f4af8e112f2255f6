package io.github.wechatpaypartner.client.notification;

import io.github.wechatpaypartner.client.runtime.TimeSource;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The event record of one process: enough for an application that runs on one instance, and the
 * fallback of a shared store that is configured to fail open. Bounded: past {@link #maxEvents()}
 * the oldest entry is dropped (a warning is logged the first time an unexpired one goes, since a
 * late duplicate of it would run again). Entries expire with their lease or retention.
 * Thread-safe; one short lock per call.
 */
public final class InMemoryEventStore implements EventStore {
  private static final System.Logger LOG = System.getLogger(InMemoryEventStore.class.getName());

  /** 100,000 events: about 20 MB at most, far above a partner's daily notification count. */
  public static final int DEFAULT_MAX_EVENTS = 100_000;

  private final int maxEvents;
  private final TimeSource time;
  /** In the order of their last change, which is close to the order of expiry. */
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
  private boolean warnedOfEviction;

  /** A store of at most {@link #DEFAULT_MAX_EVENTS} events. */
  public InMemoryEventStore() {
    this(DEFAULT_MAX_EVENTS);
  }

  /** A store of at most {@code maxEvents} events. */
  public InMemoryEventStore(int maxEvents) {
    this(maxEvents, TimeSource.SYSTEM);
  }

  /** The same store reading time from {@code time} (tests). */
  public InMemoryEventStore(int maxEvents, TimeSource time) {
    if (maxEvents < 1) {
      throw new IllegalArgumentException("InMemoryEventStore.maxEvents must be at least 1, got " + maxEvents);
    }
    this.maxEvents = maxEvents;
    this.time = Objects.requireNonNull(time, "time");
  }

  public int maxEvents() {
    return maxEvents;
  }

  @Override
  public synchronized Claim claim(String eventId, String owner, Duration lease) {
    long now = time.nanoTime();
    Entry entry = live(eventId, now);
    if (entry != null) {
      return entry.owner == null ? Claim.DONE : Claim.RUNNING;
    }
    put(eventId, new Entry(owner, now + lease.toNanos()), now);
    return Claim.CLAIMED;
  }

  @Override
  public synchronized void markDone(String eventId, String owner, Duration retention) {
    long now = time.nanoTime();
    entries.remove(eventId);
    put(eventId, new Entry(null, now + retention.toNanos()), now);
  }

  @Override
  public synchronized void release(String eventId, String owner) {
    Entry entry = entries.get(eventId);
    if (entry != null && owner.equals(entry.owner)) {
      entries.remove(eventId);
    }
  }

  /** How many events are recorded now, running or done (tests, metrics). */
  public synchronized int size() {
    long now = time.nanoTime();
    entries.values().removeIf(e -> e.expired(now));
    return entries.size();
  }

  @Override
  public String toString() {
    return "InMemoryEventStore[maxEvents=" + maxEvents + "]";
  }

  private Entry live(String eventId, long now) {
    Entry entry = entries.get(eventId);
    if (entry != null && entry.expired(now)) {
      entries.remove(eventId);
      return null;
    }
    return entry;
  }

  private void put(String eventId, Entry entry, long now) {
    // Drops expired entries from the old end, and the oldest live ones while the store is full.
    Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
    while (oldest.hasNext()) {
      Entry head = oldest.next().getValue();
      boolean full = entries.size() >= maxEvents;
      if (!full && !head.expired(now)) {
        break;
      }
      oldest.remove();
      if (full && !head.expired(now) && !warnedOfEviction) {
        warnedOfEviction = true;
        LOG.log(Level.WARNING, "InMemoryEventStore is full (" + maxEvents + " events): the oldest "
            + "unexpired events are dropped, and a late duplicate of one would run its handler again. "
            + "Raise maxEvents or shorten the retention.");
      }
    }
    entries.put(eventId, entry);
  }

  /** A running claim ({@code owner} set) or a done event ({@code owner} null) until {@code expiresAt}. */
  private static final class Entry {
    final String owner;
    final long expiresAt;

    Entry(String owner, long expiresAt) {
      this.owner = owner;
      this.expiresAt = expiresAt;
    }

    boolean expired(long now) {
      return now - expiresAt >= 0;
    }
  }
}
