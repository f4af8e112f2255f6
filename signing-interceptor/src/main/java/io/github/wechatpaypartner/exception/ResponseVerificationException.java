package io.github.wechatpaypartner.exception;

/**
 * An answer failed verification and must not be trusted: its body is never deserialized. Says
 * which check failed and carries the {@code Request-ID}; never the body nor key material.
 *
 * <p>Never retried. For a 2xx answer the message says the request may have been processed (the
 * service may have acted on it; only the answer is untrusted).
 */
public class ResponseVerificationException extends WechatPayException {
  private static final long serialVersionUID = 1L;

  private final VerificationCheck check;
  private final String requestId;
  private final int statusCode;

  public ResponseVerificationException(VerificationCheck check, String detail, String operationId,
      int statusCode, String requestId) {
    super("WeChat Pay answer to " + operationId + " (HTTP " + statusCode + ", Request-ID "
        + (requestId == null ? "absent" : requestId) + ") failed verification [" + check + "]: "
        + detail + (statusCode / 100 == 2
            ? "; not retried: the request may have been processed, check its result before resending"
            : ""), null, operationId);
    this.check = check;
    this.requestId = requestId;
    this.statusCode = statusCode;
  }

  public VerificationCheck check() {
    return check;
  }

  /** The answer's Request-ID header, or {@code null} when it had none (unverified either way). */
  public String requestId() {
    return requestId;
  }

  public int statusCode() {
    return statusCode;
  }
}
