package io.github.wechatpaypartner.exception;

import java.time.Duration;

/**
 * A setting is unusable (a key, a serial, an APIv3 key, a host, a timeout...). Thrown while a
 * client, a key set or a parser is being built, before anything is sent. Messages name the setting
 * and the rule, never the secret itself.
 */
public class ConfigurationException extends WechatPayException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code value} when it is above zero; else a ConfigurationException naming {@code setting}. */
  public static Duration requirePositive(String setting, Duration value) {
    if (value == null) {
      throw new ConfigurationException(setting + " must not be null");
    }
    if (value.isZero() || value.isNegative()) {
      throw new ConfigurationException(setting + " must be positive, got " + value);
    }
    return value;
  }

  /** {@code value} when it is zero or more; else a ConfigurationException naming {@code setting}. */
  public static Duration requireNonNegative(String setting, Duration value) {
    if (value == null) {
      throw new ConfigurationException(setting + " must not be null");
    }
    if (value.isNegative()) {
      throw new ConfigurationException(setting + " must not be negative, got " + value);
    }
    return value;
  }
}
