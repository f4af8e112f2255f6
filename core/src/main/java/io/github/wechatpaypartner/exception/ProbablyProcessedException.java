package io.github.wechatpaypartner.exception;

import java.util.List;
import java.util.Map;

/**
 * A retry was answered {@code ALREADY_EXISTS} after an earlier attempt of the same call got no
 * trustworthy answer (a 500, an unsigned gateway error or a timeout): the earlier attempt was
 * most probably processed, and the retry, which resent the same {@code out_request_no}, met its
 * result. Look the resource up (or treat the call as done) rather than sending it again with a
 * new {@code out_request_no}. {@link #attempts()} shows what each attempt got.
 */
public class ProbablyProcessedException extends ServiceException {
  private static final long serialVersionUID = 1L;

  public ProbablyProcessedException(String operationId, List<Attempt> attempts, Answer answer,
      String errorCode, String errorMessage, Map<String, Object> detail) {
    super(operationId + ": the retry was answered " + errorCode + " (Request-ID "
        + answer.requestId() + ") after an earlier attempt got no trustworthy answer: the earlier"
        + " attempt probably succeeded with the same out_request_no; check the resource before"
        + " sending it again", operationId, attempts, answer, errorCode, errorMessage, detail);
  }
}
