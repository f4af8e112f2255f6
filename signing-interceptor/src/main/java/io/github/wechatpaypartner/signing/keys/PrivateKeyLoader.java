package io.github.wechatpaypartner.signing.keys;

import io.github.wechatpaypartner.exception.KeyLoadingException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

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
    List<Object> objects = PemObjects.parse(pem, source, EXPECTED);
    Object keyObject = objects.stream()
        .filter(o -> o instanceof PrivateKeyInfo || o instanceof PEMKeyPair
            || o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair)
        .findFirst()
        .orElseThrow(() -> new KeyLoadingException(capitalized(source) + " holds "
            + PemObjects.describeAll(objects) + "; expected " + EXPECTED
            + (objects.stream().anyMatch(o -> PemObjects.describe(o).contains("certificate"))
                ? " (apiclient_key.pem, not apiclient_cert.pem)" : "")));

    PrivateKeyInfo info = decrypt(keyObject, password, source);
    String algorithm = PemObjects.algorithm(info.getPrivateKeyAlgorithm());
    if (!"RSA".equals(algorithm)) {
      throw new KeyLoadingException(capitalized(source) + " holds " + PemObjects.article(algorithm)
          + " private key; expected " + EXPECTED);
    }
    PrivateKey key;
    try {
      key = new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (Exception e) {
      throw new KeyLoadingException(capitalized(source) + " holds an RSA private key that cannot"
          + " be decoded (" + e.getClass().getSimpleName() + "); expected " + EXPECTED, e);
    }
    return RsaKeys.requireRsa2048(key, "The private key in " + source);
  }

  private static PrivateKeyInfo decrypt(Object keyObject, char[] password, String source) {
    if (keyObject instanceof PrivateKeyInfo) {
      return (PrivateKeyInfo) keyObject;
    }
    if (keyObject instanceof PEMKeyPair) {
      return ((PEMKeyPair) keyObject).getPrivateKeyInfo();
    }
    String what = PemObjects.describe(keyObject);
    if (password == null || password.length == 0) {
      throw new KeyLoadingException(capitalized(source) + " holds " + what
          + " but no password was given; pass the key's password or decrypt it first");
    }
    try {
      if (keyObject instanceof PKCS8EncryptedPrivateKeyInfo) {
        return ((PKCS8EncryptedPrivateKeyInfo) keyObject).decryptPrivateKeyInfo(
            new JceOpenSSLPKCS8DecryptorProviderBuilder()
                .setProvider(BouncyCastle.provider())
                .build(password));
      }
      return ((PEMEncryptedKeyPair) keyObject)
          .decryptKeyPair(new JcePEMDecryptorProviderBuilder()
              .setProvider(BouncyCastle.provider())
              .build(password))
          .getPrivateKeyInfo();
    } catch (Exception e) {
      // A wrong password shows up as a padding error or as garbage that is not ASN.1.
      throw new KeyLoadingException(capitalized(source) + " holds " + what
          + " that could not be decrypted: wrong password (or a corrupted key)", e);
    }
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
