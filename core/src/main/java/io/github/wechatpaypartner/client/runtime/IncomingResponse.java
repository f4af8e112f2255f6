package io.github.wechatpaypartner.client.runtime;

import java.net.http.HttpHeaders;
import java.util.Objects;

/**
 * One answer as received, before anything is deserialized: status, headers, body bytes, and the
 * {@link Verdict} of the client's verification step. Immutable.
 */
public final class IncomingResponse {
  private final OutgoingRequest request;
  private final int statusCode;
  private final HttpHeaders headers;
  private final byte[] body;
  private final Verdict verdict;

  /** An answer as a {@link Transport} reads it: {@link Verdict#UNCHECKED}. */
  public IncomingResponse(OutgoingRequest request, int statusCode, HttpHeaders headers, byte[] body) {
    this(request, statusCode, headers, body, Verdict.UNCHECKED);
  }

  private IncomingResponse(OutgoingRequest request, int statusCode, HttpHeaders headers, byte[] body,
      Verdict verdict) {
    this.request = Objects.requireNonNull(request, "request");
    this.statusCode = statusCode;
    this.headers = Objects.requireNonNull(headers, "headers");
    this.body = body == null ? new byte[0] : body;
    this.verdict = Objects.requireNonNull(verdict, "verdict");
  }

  /** This answer with the verification step's verdict. */
  public IncomingResponse withVerdict(Verdict value) {
    return new IncomingResponse(request, statusCode, headers, body, value);
  }

  /** The request this answers (its URI names the host that answered). */
  public OutgoingRequest request() {
    return request;
  }

  public int statusCode() {
    return statusCode;
  }

  public boolean isSuccess() {
    return statusCode / 100 == 2;
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

  /** What the verification step found; {@link Verdict#UNCHECKED} before it ran. */
  public Verdict verdict() {
    return verdict;
  }

  /** The service's {@code Request-ID} header, or {@code null} when absent. */
  public String requestId() {
    return header("Request-ID");
  }

  @Override
  public String toString() {
    return "HTTP " + statusCode + " for " + request.method() + " " + request.uri().getPath()
        + " (Request-ID " + requestId() + ", " + body.length + " bytes, " + verdict.kind() + ")";
  }
}
