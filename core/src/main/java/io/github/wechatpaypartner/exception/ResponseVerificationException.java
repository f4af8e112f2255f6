package io.github.wechatpaypartner.exception;

import java.util.List;

/**
 * An answer failed verification and must not be trusted: its body is never deserialized. Says
 * which check failed and carries the {@code Request-ID}; never key material.
 *
 * <p>Never retried. For a 2xx answer the message says the request may have been processed (the
 * service may have acted on it; only the answer is untrusted).
 */
public class ResponseVerificationException extends ResponseException {
  private static final long serialVersionUID = 1L;

  private final VerificationCheck check;

  public ResponseVerificationException(VerificationCheck check, String detail, String operationId,
      List<Attempt> attempts, Answer answer) {
    super("WeChat Pay answer to " + operationId + " (HTTP " + answer.statusCode() + ", Request-ID "
        + (answer.requestId() == null ? "absent" : answer.requestId()) + ") failed verification ["
        + check + "]: " + detail + (answer.statusCode() / 100 == 2
            ? "; not retried: the request may have been processed, check its result before resending"
            : ""), null, operationId, attempts, answer);
    this.check = check;
  }

  public VerificationCheck check() {
    return check;
  }
}
