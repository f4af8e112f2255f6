package io.github.wechatpaypartner.exception;

/**
 * A setting is unusable (a key, a serial, an APIv3 key, a host...). Thrown while a client, a
 * key set or a parser is being built, before anything is sent. Messages name the setting and the rule, never the
 * secret itself.
 */
public class ConfigurationException extends WechatPayException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
