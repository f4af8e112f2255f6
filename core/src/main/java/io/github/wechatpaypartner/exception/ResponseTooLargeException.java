package io.github.wechatpaypartner.exception;

import java.util.List;

/**
 * An answer's body passed the client's size limit while it was being read (the limit is
 * {@code Limits.maxAnswerBytes}, far above any answer the spec allows). Reading stopped at the
 * limit and the connection was closed; nothing of the body is kept. Not retried: the request
 * may have been processed.
 */
public class ResponseTooLargeException extends TransportException {
  private static final long serialVersionUID = 1L;

  private final long limit;

  public ResponseTooLargeException(String message, Throwable cause, String operationId,
      List<Attempt> attempts, long limit) {
    super(message, cause, operationId, attempts);
    this.limit = limit;
  }

  /** The limit, in bytes, that the body passed. */
  public long limit() {
    return limit;
  }
}
