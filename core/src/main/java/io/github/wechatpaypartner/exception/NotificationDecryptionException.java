package io.github.wechatpaypartner.exception;

/** The resource of a verified callback could not be decrypted (the GCM tag did not match). */
public class NotificationDecryptionException extends NotificationException {
  private static final long serialVersionUID = 1L;

  public NotificationDecryptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
