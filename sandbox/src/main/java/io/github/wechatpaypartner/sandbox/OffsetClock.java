package io.github.wechatpaypartner.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The sandbox's clock: the system's, moved by an offset the control plane sets, so a client's
 * handling of the 5-minute signature window can be tested from either side without waiting.
 * Thread-safe.
 */
final class OffsetClock extends Clock {
  private volatile Duration offset = Duration.ZERO;

  Duration offset() {
    return offset;
  }

  void offset(Duration offset) {
    this.offset = offset;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the sandbox's clock is UTC");
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }
}
