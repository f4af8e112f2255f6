package io.github.wechatpaypartner.signing.keys;

import io.github.wechatpaypartner.exception.KeyLoadingException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;

/**
 * Loads a WeChat Pay public key ({@code pub_key.pem} from the merchant platform, {@code BEGIN
 * PUBLIC KEY}): RSA, at least 2048 bits. Read with the JDK alone; Bouncy Castle only names what
 * a text that is not such a key holds.
 */
public final class PublicKeyLoader {
  static final String EXPECTED = "an RSA public key (BEGIN PUBLIC KEY) of at least 2048 bits";

  private PublicKeyLoader() {}

  public static PublicKey fromFile(Path pemFile) {
    return load(PemObjects.readFile(pemFile, EXPECTED), PemObjects.describeSource(pemFile));
  }

  public static PublicKey fromPem(String pem) {
    return load(pem, "the public key PEM text");
  }

  private static PublicKey load(String pem, String source) {
    byte[] spki = PemObjects.singleBlock(pem, "PUBLIC KEY");
    if (spki != null) {
      try {
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
        return RsaKeys.requireRsa2048(key, "The public key in " + source);
      } catch (GeneralSecurityException notRsa) {
        // Not an RSA key (or not a valid one): Bouncy Castle's reading below names what it is.
      }
    }
    return BouncyCastlePem.publicKey(pem, source);
  }
}
