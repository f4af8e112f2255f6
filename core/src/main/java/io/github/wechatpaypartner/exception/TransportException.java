package io.github.wechatpaypartner.exception;

import java.util.List;

/**
 * No usable answer could be read: every host unreachable, a timeout, a reset connection, an answer
 * over the size limit, or the calling thread interrupted. The cause is the last attempt's failure
 * (earlier ones are suppressed); {@link #attempts()} lists every attempt. Whether the request
 * reached the service is unknown unless every attempt was {@link Attempt.Outcome#UNREACHABLE}.
 */
public class TransportException extends WechatPayException {
  private static final long serialVersionUID = 1L;

  public TransportException(String message, Throwable cause, String operationId) {
    super(message, cause, operationId);
  }

  public TransportException(String message, Throwable cause, String operationId, List<Attempt> attempts) {
    super(message, cause, operationId, attempts);
  }

  /** True when the call stopped because its thread was interrupted (the interrupt flag is set again). */
  public boolean interrupted() {
    return getCause() instanceof InterruptedException;
  }
}
