package io.github.wechatpaypartner.testkit;

import io.github.wechatpaypartner.exception.WechatPayException;
import io.github.wechatpaypartner.signing.CryptoProvider;
import io.github.wechatpaypartner.signing.notification.ApiV3Key;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Cipher;

/**
 * The service's side of the client's callback decryption, for code that plays WeChat Pay (the sandbox,
 * tests): encrypts a callback resource as the service does, AEAD_AES_256_GCM with the APIv3 key,
 * IV = the nonce's bytes, AAD = associated_data, Base64 of the ciphertext with its 16-byte tag.
 * A client never needs it.
 */
public final class ResourceEncryptor {
  private final ApiV3Key key;
  private final CryptoProvider provider;

  public ResourceEncryptor(ApiV3Key key) {
    this(key, CryptoProvider.jdk());
  }

  public ResourceEncryptor(ApiV3Key key, CryptoProvider provider) {
    this.key = Objects.requireNonNull(key, "key");
    this.provider = Objects.requireNonNull(provider, "provider");
  }

  /**
   * @param nonce the resource's {@code nonce} (12 characters)
   * @param associatedData the resource's {@code associated_data}, or {@code null} for none
   * @return {@code resource.ciphertext}
   */
  public String encrypt(String plaintext, String nonce, String associatedData) {
    try {
      Cipher cipher = key.gcmCipher(Cipher.ENCRYPT_MODE, nonce, provider);
      if (associatedData != null && !associatedData.isEmpty()) {
        cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      }
      return Base64.getEncoder().encodeToString(cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new WechatPayException("encryption failed: " + e.getClass().getSimpleName() + " from " + provider, e);
    }
  }
}
