package io.github.wechatpaypartner.signing.keys;

import io.github.wechatpaypartner.exception.KeyLoadingException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;

/**
 * Loads the merchant API private key ({@code apiclient_key.pem}): PKCS#8 ({@code BEGIN PRIVATE
 * KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), and both encrypted forms ({@code BEGIN ENCRYPTED
 * PRIVATE KEY}, legacy {@code Proc-Type: 4,ENCRYPTED}) with a password. Only RSA keys of at least
 * 2048 bits are accepted. A plain PKCS#8 key is read with the JDK alone; the other forms with
 * Bouncy Castle.
 */
public final class PrivateKeyLoader {
  static final String EXPECTED =
      "an RSA private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY) of at least 2048 bits";

  private PrivateKeyLoader() {}

  public static PrivateKey fromFile(Path pemFile) {
    return fromFile(pemFile, null);
  }

  /** @param password for an encrypted key; {@code null} for a plain one */
  public static PrivateKey fromFile(Path pemFile, char[] password) {
    String source = PemObjects.describeSource(pemFile);
    return load(PemObjects.readFile(pemFile, EXPECTED), password, source);
  }

  public static PrivateKey fromPem(String pem) {
    return fromPem(pem, null);
  }

  /** @param password for an encrypted key; {@code null} for a plain one */
  public static PrivateKey fromPem(String pem, char[] password) {
    return load(pem, password, "the private key PEM text");
  }

  /** Checks a key obtained elsewhere (a key store, an HSM handle that exposes RSA). */
  public static PrivateKey of(PrivateKey key) {
    return RsaKeys.requireRsa2048(key, "The merchant private key");
  }

  private static PrivateKey load(String pem, char[] password, String source) {
    byte[] pkcs8 = PemObjects.singleBlock(pem, "PRIVATE KEY");
    if (pkcs8 != null) {
      try {
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        return RsaKeys.requireRsa2048(key, "The private key in " + source);
      } catch (GeneralSecurityException notRsa) {
        // Not an RSA key (or not a valid one): Bouncy Castle's reading below names what it is.
      }
    }
    return BouncyCastlePem.privateKey(pem, password, source);
  }
}
