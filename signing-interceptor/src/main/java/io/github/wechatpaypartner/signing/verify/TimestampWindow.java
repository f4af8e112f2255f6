package io.github.wechatpaypartner.signing.verify;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The 5-minute window of a signature's timestamp, for answers, callbacks and (on the service's
 * side) requests alike. Compared without subtraction: {@code Math.abs(t - now) > 300} lets
 * {@code t = now - 2^63} through, since the difference wraps to {@code Long.MIN_VALUE} and its
 * absolute value is negative.
 */
public final class TimestampWindow {
  /** Allowed distance between a timestamp and the local clock, either way. */
  public static final long MAX_SKEW_SECONDS = 300;
  /** Unix seconds fit 19 digits; more cannot be a {@code long}. */
  private static final int MAX_DIGITS = 19;

  private TimestampWindow() {
  }

  /**
   * Unix seconds written as the spec writes them ({@code ^[0-9]+$}: no sign, no spaces, no
   * {@code +}), or empty when the text is anything else or beyond a {@code long}.
   */
  public static OptionalLong parse(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_DIGITS) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.empty();
      }
    }
    try {
      return OptionalLong.of(Long.parseLong(text));
    } catch (NumberFormatException beyondLong) {
      return OptionalLong.empty();
    }
  }

  /**
   * Why {@code seconds} is outside the window around {@code now} ("N s behind" or "N s ahead of"
   * the local clock), or empty when it is within.
   */
  public static Optional<String> outside(long seconds, Instant now) {
    // now's seconds lie within +-3.2e16 (Instant's range), so now +- 300 cannot overflow.
    long nowSeconds = now.getEpochSecond();
    if (seconds >= nowSeconds - MAX_SKEW_SECONDS && seconds <= nowSeconds + MAX_SKEW_SECONDS) {
      return Optional.empty();
    }
    BigInteger distance = BigInteger.valueOf(seconds).subtract(BigInteger.valueOf(nowSeconds));
    return Optional.of(distance.abs() + " s " + (distance.signum() < 0 ? "behind" : "ahead of"));
  }
}
