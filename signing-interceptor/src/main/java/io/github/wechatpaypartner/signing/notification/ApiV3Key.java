package io.github.wechatpaypartner.signing.notification;

import io.github.wechatpaypartner.signing.CryptoProvider;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
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
  /** The GCM tag length of every ciphertext WeChat Pay makes with it. */
  public static final int GCM_TAG_BITS = 128;
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

  /**
   * An AES-256-GCM cipher on this key, as WeChat Pay uses it (IV = the resource's {@code nonce}
   * bytes, 128-bit tag), initialized for {@code mode}: the key itself never leaves this class.
   */
  public Cipher gcmCipher(int mode, String nonce, CryptoProvider provider) throws GeneralSecurityException {
    Cipher cipher = provider.newAesGcm();
    cipher.init(mode, key, new GCMParameterSpec(GCM_TAG_BITS, nonce.getBytes(StandardCharsets.UTF_8)));
    return cipher;
  }

  @Override
  public String toString() {
    return "ApiV3Key[hidden]";
  }
}
