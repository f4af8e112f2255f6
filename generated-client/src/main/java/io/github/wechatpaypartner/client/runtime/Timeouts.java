package io.github.wechatpaypartner.client.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * Connect and per-request timeouts. The connect timeout goes to the default transport's
 * {@link java.net.http.HttpClient} (a miss raises {@code HttpConnectTimeoutException}: the host is
 * unreachable and the next host is tried) and the request timeout to each request (a miss raises
 * {@code HttpTimeoutException}: retried on the same host, since the request may have arrived).
 */
public final class Timeouts {

  /** Connect 5 s, whole request 10 s. */
  public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));

  private final Duration connect;
  private final Duration request;

  private Timeouts(Duration connect, Duration request) {
    this.connect = connect;
    this.request = request;
  }

  /**
   * @param connect time allowed to open the TCP/TLS connection; must be positive
   * @param request time allowed from sending the request until the response headers arrive;
   *     must be positive
   */
  public static Timeouts of(Duration connect, Duration request) {
    return new Timeouts(positive(connect, "connect"), positive(request, "request"));
  }

  public Duration connect() {
    return connect;
  }

  public Duration request() {
    return request;
  }

  public Timeouts withConnect(Duration value) {
    return of(value, request);
  }

  public Timeouts withRequest(Duration value) {
    return of(connect, value);
  }

  private static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, "Timeouts." + name + " must not be null");
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException("Timeouts." + name + " must be positive, got " + value);
    }
    return value;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Timeouts)) {
      return false;
    }
    Timeouts other = (Timeouts) o;
    return connect.equals(other.connect) && request.equals(other.request);
  }

  @Override
  public int hashCode() {
    return Objects.hash(connect, request);
  }

  @Override
  public String toString() {
    return "Timeouts{connect=" + connect.toMillis() + " ms, request=" + request.toMillis() + " ms}";
  }
}
