package io.github.wechatpaypartner.exception;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * WeChat Pay answered with a non-2xx status whose signature verified: the service itself refused
 * the call with a documented error ({@code PARAM_ERROR}, {@code ALREADY_EXISTS},
 * {@code RATELIMIT_EXCEEDED}...). The answer's body is the spec's error object.
 */
public class ServiceException extends WechatPayException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final String requestId;
  private final String errorCode;
  private final String errorMessage;
  private final transient Map<String, Object> detail;
  private final byte[] rawBody;

  /**
   * @param errorCode the error's {@code code}, or {@code null} when the body is not an error object
   * @param detail the error's {@code detail} object, empty when absent
   */
  public ServiceException(String operationId, int statusCode, String requestId, String errorCode,
      String errorMessage, Map<String, Object> detail, byte[] rawBody) {
    this(describe(operationId, statusCode, requestId, errorCode, errorMessage, detail), operationId,
        statusCode, requestId, errorCode, errorMessage, detail, rawBody);
  }

  protected ServiceException(String message, String operationId, int statusCode, String requestId,
      String errorCode, String errorMessage, Map<String, Object> detail, byte[] rawBody) {
    super(message, null, operationId);
    this.statusCode = statusCode;
    this.requestId = requestId;
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
    this.detail = detail == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(detail));
    this.rawBody = rawBody == null ? new byte[0] : rawBody.clone();
  }

  /** A copy of {@code other} (same answer) under another message. */
  protected ServiceException(String message, ServiceException other) {
    this(message, other.operationId(), other.statusCode, other.requestId, other.errorCode,
        other.errorMessage, other.detail, other.rawBody);
  }

  /** HTTP status of the answer. */
  public int statusCode() {
    return statusCode;
  }

  /** The answer's {@code Request-ID} (quote it to WeChat Pay support), or {@code null}. */
  public String requestId() {
    return requestId;
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
    return detail;
  }

  /** The body exactly as received. */
  public byte[] rawBody() {
    return rawBody.clone();
  }

  /** The body as UTF-8 text. */
  public String rawBodyText() {
    return new String(rawBody, StandardCharsets.UTF_8);
  }

  private static String describe(String operationId, int statusCode, String requestId,
      String errorCode, String errorMessage, Map<String, Object> detail) {
    StringBuilder sb = new StringBuilder(String.valueOf(operationId)).append(": HTTP ")
        .append(statusCode);
    if (errorCode != null) {
      sb.append(' ').append(errorCode).append(": ").append(errorMessage);
    }
    if (detail != null && !detail.isEmpty()) {
      sb.append(' ').append(detail);
    }
    return sb.append(" (Request-ID ").append(requestId).append(')').toString();
  }
}
