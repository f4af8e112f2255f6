package io.github.wechatpaypartner.exception;


/**
 * A key or certificate could not be loaded. The message says where it came from, what was found
 * and what is expected; it never contains key material or a password.
 */
public class KeyLoadingException extends ConfigurationException {
  private static final long serialVersionUID = 1L;

  public KeyLoadingException(String message) {
    super(message);
  }

  public KeyLoadingException(String message, Throwable cause) {
    super(message, cause);
  }
}
