package io.github.wechatpaypartner.client.runtime;

import java.net.http.HttpHeaders;
import java.util.Objects;

/** One answer as received, before anything is deserialized: status, headers, body bytes. */
public final class IncomingResponse {
  private final OutgoingRequest request;
  private final int statusCode;
  private final HttpHeaders headers;
  private final byte[] body;

  public IncomingResponse(OutgoingRequest request, int statusCode, HttpHeaders headers, byte[] body) {
    this.request = Objects.requireNonNull(request, "request");
    this.statusCode = statusCode;
    this.headers = Objects.requireNonNull(headers, "headers");
    this.body = body == null ? new byte[0] : body;
  }

  /** The request this answers (its URI names the host that answered). */
  public OutgoingRequest request() {
    return request;
  }

  public int statusCode() {
    return statusCode;
  }

  public HttpHeaders headers() {
    return headers;
  }

  /** The first value of a header, or {@code null}. */
  public String header(String name) {
    return headers.firstValue(name).orElse(null);
  }

  /** The body exactly as received. Do not modify. */
  public byte[] body() {
    return body;
  }

  /** The service's {@code Request-ID} header, or {@code null} when absent. */
  public String requestId() {
    return header("Request-ID");
  }

  @Override
  public String toString() {
    return "HTTP " + statusCode + " for " + request.method() + " " + request.uri().getPath()
        + " (Request-ID " + requestId() + ", " + body.length + " bytes)";
  }
}
