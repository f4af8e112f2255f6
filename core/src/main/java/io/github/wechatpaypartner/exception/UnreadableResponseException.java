package io.github.wechatpaypartner.exception;

import java.util.List;

/**
 * A verified 2xx answer whose body is not the answer the spec describes: empty, {@code null}, or
 * not readable as the operation's answer model. The request was processed; only its answer
 * cannot be used. Look the resource up rather than sending the request again.
 */
public class UnreadableResponseException extends ResponseException {
  private static final long serialVersionUID = 1L;

  public UnreadableResponseException(String message, Throwable cause, String operationId,
      List<Attempt> attempts, Answer answer) {
    super(message, cause, operationId, attempts, answer);
  }
}
