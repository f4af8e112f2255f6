package io.github.wechatpaypartner.client.resilience;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Objects;

/**
 * Connect and per-request timeouts. They are enforced by the HTTP exchange, not by the
 * decorators: the connect timeout goes to {@link HttpClient.Builder#connectTimeout(Duration)}
 * (a miss raises {@code HttpConnectTimeoutException}, which fails over to the next host) and the
 * request timeout to {@link HttpRequest.Builder#timeout(Duration)} (a miss raises
 * {@code HttpTimeoutException}, retried on the same host because the request may have been
 * received). Use {@link #applyTo(HttpClient.Builder)} and {@link #applyTo(HttpRequest.Builder)},
 * or hand the values to the generated {@code ApiClient} ({@code setConnectTimeout(connect())},
 * {@code setRequestTimeout(request())}), whose default {@code HttpExchange} applies them.
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

  /** Sets the connect timeout on the client builder and returns it. */
  public HttpClient.Builder applyTo(HttpClient.Builder builder) {
    return builder.connectTimeout(connect);
  }

  /** Sets the request timeout on the request builder and returns it. */
  public HttpRequest.Builder applyTo(HttpRequest.Builder builder) {
    return builder.timeout(request);
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
