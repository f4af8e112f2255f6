package io.github.wechatpaypartner.signing.notification;

/** The resource of a verified callback could not be decrypted (the GCM tag did not match). */
public class NotificationDecryptionException extends NotificationException {
  private static final long serialVersionUID = 1L;

  NotificationDecryptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
