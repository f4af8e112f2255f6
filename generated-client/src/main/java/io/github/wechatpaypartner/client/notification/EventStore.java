package io.github.wechatpaypartner.client.notification;

import java.time.Duration;

/**
 * The shared record that lets {@link NotificationHandler} run an application's handler once per
 * event id, however often and wherever the service delivers the event. An event id moves through
 * three states: absent, running (claimed by one delivery, for a lease), done (kept for a
 * retention period). A failed run releases its claim, so the next delivery runs it again.
 *
 * <p>{@link InMemoryEventStore} serves one process; a fleet of instances shares a store backed by
 * a shared database (see the Redis module). Implementations must be thread-safe and make
 * {@link #claim} atomic: of concurrent claims of one id, exactly one gets {@link Claim#CLAIMED}.
 */
public interface EventStore {

  /** What a {@link #claim} found. */
  enum Claim {
    /** The caller now holds the event for the lease and must mark it done or release it. */
    CLAIMED,
    /** Another delivery holds it and its lease has not run out. */
    RUNNING,
    /** It was handled; the retention period has not run out. */
    DONE
  }

  /**
   * Claims {@code eventId} for {@code owner} until {@code lease} has passed, unless it is running
   * or done.
   *
   * @param owner a token unique to this delivery, so that only its own claim can be released
   * @throws EventStoreException when the store cannot be reached and is configured to refuse
   */
  Claim claim(String eventId, String owner, Duration lease);

  /** Records {@code eventId} as handled for {@code retention}, replacing the claim. */
  void markDone(String eventId, String owner, Duration retention);

  /**
   * Gives up {@code owner}'s claim of {@code eventId} so that the next delivery runs the handler.
   * Does nothing when the claim is no longer {@code owner}'s (its lease ran out and another
   * delivery took it).
   */
  void release(String eventId, String owner);
}
