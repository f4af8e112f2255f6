package io.github.wechatpaypartner.exception;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WeChat Pay answered with a non-2xx status whose signature verified: the service itself refused
 * the call with a documented error ({@code PARAM_ERROR}, {@code ALREADY_EXISTS},
 * {@code RATELIMIT_EXCEEDED}...). The answer's body is the spec's error object.
 */
public class ServiceException extends ResponseException {
  private static final long serialVersionUID = 1L;

  private final String errorCode;
  private final String errorMessage;
  private final transient Map<String, Object> detail;

  /**
   * @param errorCode the error's {@code code}, or {@code null} when the body is not an error object
   * @param detail the error's {@code detail} object, empty when absent
   */
  public ServiceException(String operationId, List<Attempt> attempts, Answer answer,
      String errorCode, String errorMessage, Map<String, Object> detail) {
    this(describe(operationId, answer, errorCode, errorMessage, detail), operationId, attempts,
        answer, errorCode, errorMessage, detail);
  }

  protected ServiceException(String message, String operationId, List<Attempt> attempts,
      Answer answer, String errorCode, String errorMessage, Map<String, Object> detail) {
    super(message, null, operationId, attempts, answer);
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
    this.detail = detail == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(detail));
  }

  /** The error's {@code code}, e.g. {@code PARAM_ERROR}; {@code null} when the body had none. */
  public String errorCode() {
    return errorCode;
  }

  /** The error's {@code message}, or {@code null}. */
  public String errorMessage() {
    return errorMessage;
  }

  /** The error's {@code detail} ({@code field}, {@code value}, {@code issue}, {@code location}...); empty when absent. */
  public Map<String, Object> detail() {
    return detail == null ? Map.of() : detail;
  }

  private static String describe(String operationId, Answer answer, String errorCode,
      String errorMessage, Map<String, Object> detail) {
    StringBuilder sb = new StringBuilder(String.valueOf(operationId)).append(": HTTP ")
        .append(answer.statusCode());
    if (errorCode != null) {
      sb.append(' ').append(errorCode).append(": ").append(errorMessage);
    }
    if (detail != null && !detail.isEmpty()) {
      sb.append(' ').append(detail);
    }
    return sb.append(" (Request-ID ").append(answer.requestId()).append(')').toString();
  }
}
