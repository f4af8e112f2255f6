package io.github.wechatpaypartner.exception;

/** A callback envelope or its decrypted resource does not have the documented shape. */
public class NotificationFormatException extends NotificationException {
  private static final long serialVersionUID = 1L;

  public NotificationFormatException(String message) {
    super(message);
  }

  public NotificationFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
