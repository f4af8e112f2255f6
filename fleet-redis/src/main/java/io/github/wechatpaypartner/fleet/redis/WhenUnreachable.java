package io.github.wechatpaypartner.fleet.redis;

/** What a fleet-wide piece does while Redis cannot be reached. Either way, it uses Redis again as soon as Redis answers. */
public enum WhenUnreachable {
  /**
   * Go on with this instance's own record: the rate limiter holds the instance to the limit by
   * itself (the same bucket, in this JVM), the event store records in memory
   * ({@code InMemoryEventStore}).
   * The fleet as a whole may then exceed the limit or run a duplicate delivered to another instance.
   */
  FAIL_OPEN,
  /**
   * Refuse: an attempt fails with {@code RateLimitException} (nothing sent), a notification is
   * answered 503 (the service delivers it again later).
   */
  FAIL_CLOSED
}
