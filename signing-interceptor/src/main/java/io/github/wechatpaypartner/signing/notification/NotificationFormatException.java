package io.github.wechatpaypartner.signing.notification;

/** A callback envelope or its decrypted resource does not have the documented shape. */
public class NotificationFormatException extends NotificationException {
  private static final long serialVersionUID = 1L;

  NotificationFormatException(String message) {
    super(message);
  }

  NotificationFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
