package io.github.wechatpaypartner.client.hook;

import java.net.URI;
import java.util.Objects;

/**
 * One request exactly as it goes on the wire: method, full URI and the body bytes.
 *
 * <p>The body is serialized once by the generated API; hooks sign these very bytes and the
 * exchange sends the same array, so a signature always covers what was sent. The array is
 * shared, not copied (signing is on the hot path): hooks must not modify it.
 */
public final class OutgoingRequest {
  private final String operationId;
  private final String method;
  private final URI uri;
  private final byte[] body;

  public OutgoingRequest(String operationId, String method, URI uri, byte[] body) {
    this.operationId = Objects.requireNonNull(operationId, "operationId");
    this.method = Objects.requireNonNull(method, "method");
    this.uri = Objects.requireNonNull(uri, "uri");
    this.body = body == null ? new byte[0] : body;
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

  /** The exact body bytes (empty for a request without body). Do not modify. */
  public byte[] body() {
    return body;
  }

  /** The same request aimed at another URI (used to fail over to a backup host). */
  public OutgoingRequest withUri(URI otherUri) {
    return new OutgoingRequest(operationId, method, otherUri, body);
  }

  @Override
  public String toString() {
    return method + " " + uri + " (" + body.length + " bytes)";
  }
}
