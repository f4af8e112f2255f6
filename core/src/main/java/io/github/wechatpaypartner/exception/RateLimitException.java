package io.github.wechatpaypartner.exception;

import java.time.Duration;
import java.util.List;

/**
 * No rate-limit permit could be had within the limiter's bounded wait, or the shared limiter was
 * unreachable and configured to fail closed. Nothing was sent for the attempt that needed it.
 */
public class RateLimitException extends WechatPayException {
  private static final long serialVersionUID = 1L;

  private final transient Duration waited;

  public RateLimitException(String message, String operationId, Duration waited, Throwable cause) {
    this(message, operationId, waited, cause, List.of());
  }

  public RateLimitException(String message, String operationId, Duration waited, Throwable cause,
      List<Attempt> attempts) {
    super(message, cause, operationId, attempts);
    this.waited = waited;
  }

  /** How long the call waited before giving up. */
  public Duration waited() {
    return waited;
  }
}
