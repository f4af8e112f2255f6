package io.github.wechatpaypartner.signing.verify;

/**
 * An answer failed verification and must not be trusted. Says which check failed and carries the
 * {@code Request-ID}; never the body (it is unverified) nor key material.
 */
public class ResponseVerificationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final VerificationCheck check;
  private final String requestId;
  private final int statusCode;
  private final String operationId;

  public ResponseVerificationException(VerificationFailure failure, String operationId,
      int statusCode, String requestId) {
    super("WeChat Pay answer to " + operationId + " (HTTP " + statusCode + ", Request-ID "
        + (requestId == null ? "absent" : requestId) + ") failed verification ["
        + failure.check() + "]: " + failure.detail());
    this.check = failure.check();
    this.requestId = requestId;
    this.statusCode = statusCode;
    this.operationId = operationId;
  }

  public VerificationCheck check() {
    return check;
  }

  /** The service's Request-ID, or {@code null} when the answer had none. */
  public String requestId() {
    return requestId;
  }

  public int statusCode() {
    return statusCode;
  }

  public String operationId() {
    return operationId;
  }
}
