package io.github.wechatpaypartner.signing;

/**
 * A setting of this module is unusable (a key, a serial, an APIv3 key...). Thrown while the client
 * is being built, before anything is sent. Messages name the setting and the rule, never the
 * secret itself.
 */
public class ConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
