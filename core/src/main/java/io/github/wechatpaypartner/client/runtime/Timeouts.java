package io.github.wechatpaypartner.client.runtime;

import io.github.wechatpaypartner.exception.ConfigurationException;
import java.time.Duration;
import java.util.Objects;

/**
 * How long the parts of one attempt may take.
 *
 * <ul>
 *   <li>{@link #connect()}: opening the TCP/TLS connection. A miss raises
 *       {@code HttpConnectTimeoutException}: the host is unreachable and the next host is tried.
 *   <li>{@link #attempt()}: the whole answer of one attempt, from sending the request to the last
 *       byte of the body, however slowly the headers or the body arrive. A miss raises
 *       {@code HttpTimeoutException}: retried on the same host, since the request may have arrived.
 * </ul>
 *
 * <p>The whole call, retries included, is bounded by {@link RetryPolicy#maxTotalTime()}: no
 * attempt outlives it.
 */
public final class Timeouts {

  /** Connect 5 s, each attempt's whole answer 10 s. */
  public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));

  private final Duration connect;
  private final Duration attempt;

  private Timeouts(Duration connect, Duration attempt) {
    this.connect = connect;
    this.attempt = attempt;
  }

  /**
   * @param connect time allowed to open the TCP/TLS connection; must be positive
   * @param attempt time allowed from sending a request until its answer's body has been read
   *     whole; must be positive
   */
  public static Timeouts of(Duration connect, Duration attempt) {
    return new Timeouts(ConfigurationException.requirePositive("Timeouts.connect", connect),
        ConfigurationException.requirePositive("Timeouts.attempt", attempt));
  }

  public Duration connect() {
    return connect;
  }

  /** The deadline of one attempt's whole answer (headers and body). */
  public Duration attempt() {
    return attempt;
  }

  public Timeouts withConnect(Duration value) {
    return of(value, attempt);
  }

  public Timeouts withAttempt(Duration value) {
    return of(connect, value);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Timeouts)) {
      return false;
    }
    Timeouts other = (Timeouts) o;
    return connect.equals(other.connect) && attempt.equals(other.attempt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(connect, attempt);
  }

  @Override
  public String toString() {
    return "Timeouts{connect=" + connect.toMillis() + " ms, attempt=" + attempt.toMillis() + " ms}";
  }
}
