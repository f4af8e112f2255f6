package io.github.wechatpaypartner.exception;

/**
 * A callback was rejected: answer the service with a non-2xx status so that it retries, and do
 * not act on the event. Messages never contain the body or key material.
 */
public class NotificationException extends WechatPayException {
  private static final long serialVersionUID = 1L;

  public NotificationException(String message) {
    super(message);
  }

  public NotificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
