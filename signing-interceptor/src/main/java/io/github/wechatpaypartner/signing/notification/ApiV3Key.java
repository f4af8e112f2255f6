package io.github.wechatpaypartner.signing.notification;

import io.github.wechatpaypartner.exception.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The APIv3 key set on the merchant platform: exactly 32 bytes, the AES-256 key of callback
 * resources. {@link #toString()} never shows it.
 */
public final class ApiV3Key {
  public static final int LENGTH = 32;
  private final SecretKey key;

  private ApiV3Key(byte[] bytes) {
    this.key = new SecretKeySpec(bytes, "AES");
  }

  /** The key as typed on the merchant platform (32 ASCII characters). */
  public static ApiV3Key of(String key) {
    if (key == null) {
      throw new ConfigurationException("The APIv3 key is missing (null); it must be exactly "
          + LENGTH + " bytes");
    }
    return of(key.getBytes(StandardCharsets.UTF_8));
  }

  public static ApiV3Key of(byte[] key) {
    if (key == null || key.length != LENGTH) {
      throw new ConfigurationException("The APIv3 key must be exactly " + LENGTH
          + " bytes (AES-256), got " + (key == null ? "none" : key.length + " bytes")
          + "; copy it from the merchant platform (API security, APIv3 key)");
    }
    byte[] copy = Arrays.copyOf(key, LENGTH);
    try {
      return new ApiV3Key(copy);
    } finally {
      Arrays.fill(copy, (byte) 0);
    }
  }

  SecretKey secretKey() {
    return key;
  }

  @Override
  public String toString() {
    return "ApiV3Key[hidden]";
  }
}
