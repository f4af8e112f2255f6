package io.github.wechatpaypartner.signing.notification;

import io.github.wechatpaypartner.exception.NotificationDecryptionException;
import io.github.wechatpaypartner.exception.NotificationFormatException;
import io.github.wechatpaypartner.signing.CryptoProvider;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;

/**
 * AEAD_AES_256_GCM as WeChat Pay uses it: key = APIv3 key, IV = nonce bytes, AAD =
 * associated_data bytes, input = Base64 ciphertext with the 16-byte tag at its end.
 */
final class ResourceDecryptor {
  static final String ALGORITHM = "AEAD_AES_256_GCM";
  static final String DECRYPTION_FAILED =
      "decryption failed: wrong APIv3 key, tampered ciphertext or wrong associated_data";
  static final int TAG_BITS = ApiV3Key.GCM_TAG_BITS;

  private final ApiV3Key key;
  private final CryptoProvider provider;

  ResourceDecryptor(ApiV3Key key, CryptoProvider provider) {
    this.key = key;
    this.provider = provider;
  }

  String decrypt(String associatedData, String nonce, String ciphertextBase64) {
    byte[] input;
    try {
      input = Base64.getDecoder().decode(ciphertextBase64);
    } catch (IllegalArgumentException e) {
      throw new NotificationFormatException("resource.ciphertext is not valid Base64 ("
          + e.getMessage() + ")");
    }
    if (input.length < TAG_BITS / 8) {
      throw new NotificationFormatException("resource.ciphertext is " + input.length
          + " bytes, shorter than the 16-byte GCM tag it must end with");
    }
    try {
      Cipher cipher = key.gcmCipher(Cipher.DECRYPT_MODE, nonce, provider);
      if (associatedData != null && !associatedData.isEmpty()) {
        cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      }
      return new String(cipher.doFinal(input), StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new NotificationDecryptionException(DECRYPTION_FAILED, e);
    } catch (GeneralSecurityException e) {
      throw new NotificationDecryptionException("decryption failed: " + e.getClass().getSimpleName()
          + " from " + provider, e);
    }
  }
}
