package io.github.wechatpaypartner.client.runtime;

import java.io.IOException;

/**
 * A {@link Transport} stopped reading an answer whose body passed the limit it was given. The
 * client turns it into {@link io.github.wechatpaypartner.exception.ResponseTooLargeException}.
 */
public final class AnswerTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final long limit;

  public AnswerTooLargeException(int statusCode, long limit) {
    super("the HTTP " + statusCode + " answer's body passed " + limit
        + " bytes (maxAnswerBytes); reading stopped and the connection was closed");
    this.statusCode = statusCode;
    this.limit = limit;
  }

  /** The answer's status. */
  public int statusCode() {
    return statusCode;
  }

  /** The limit the body passed, in bytes. */
  public long limit() {
    return limit;
  }
}
