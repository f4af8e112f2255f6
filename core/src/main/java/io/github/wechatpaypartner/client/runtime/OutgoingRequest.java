package io.github.wechatpaypartner.client.runtime;

import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One attempt of a request exactly as it goes on the wire: method, full URI, headers and the
 * body bytes. Immutable; interceptors derive changed copies with {@link #withHeader}.
 *
 * <p>The body is serialized once per call; signing covers these very bytes and the transport
 * sends the same array, so a signature always covers what was sent. The array is shared, not
 * copied (signing is on the hot path): nobody may modify it.
 */
public final class OutgoingRequest {
  private final String operationId;
  private final String method;
  private final URI uri;
  private final Map<String, String> headers;
  private final byte[] body;

  public OutgoingRequest(String operationId, String method, URI uri, Map<String, String> headers,
      byte[] body) {
    this.operationId = Objects.requireNonNull(operationId, "operationId");
    this.method = Objects.requireNonNull(method, "method");
    this.uri = Objects.requireNonNull(uri, "uri");
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(Objects.requireNonNull(headers, "headers"));
    this.headers = Collections.unmodifiableMap(copy);
    this.body = body == null ? new byte[0] : body;
  }

  private OutgoingRequest(OutgoingRequest base, URI uri, Map<String, String> headers) {
    this.operationId = base.operationId;
    this.method = base.method;
    this.uri = uri;
    this.headers = headers;
    this.body = base.body;
  }

  /** The spec's operationId, e.g. {@code createDeliveryPlan}. */
  public String operationId() {
    return operationId;
  }

  /** Upper-case HTTP method. */
  public String method() {
    return method;
  }

  /** Absolute URI, query included exactly as sent. */
  public URI uri() {
    return uri;
  }

  /** Header names to values, looked up without regard to case. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The value of a header, or {@code null}. */
  public String header(String name) {
    return headers.get(name);
  }

  /** The exact body bytes (empty for a request without body). Do not modify. */
  public byte[] body() {
    return body;
  }

  /** A copy with this header set (replacing any value of the same name, whatever its case). */
  public OutgoingRequest withHeader(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(headers);
    copy.put(name, value);
    return new OutgoingRequest(this, uri, Collections.unmodifiableMap(copy));
  }

  /** A copy with these headers set (each replacing any value of the same name). */
  public OutgoingRequest withHeaders(Map<String, String> more) {
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(headers);
    copy.putAll(Objects.requireNonNull(more, "more"));
    return new OutgoingRequest(this, uri, Collections.unmodifiableMap(copy));
  }

  /** A copy aimed at another URI (a failover host). */
  public OutgoingRequest withUri(URI otherUri) {
    return new OutgoingRequest(this, Objects.requireNonNull(otherUri, "otherUri"), headers);
  }

  /** Method, URI and body size; never headers (Authorization) nor the body. */
  @Override
  public String toString() {
    return method + " " + uri + " (" + body.length + " bytes)";
  }
}
