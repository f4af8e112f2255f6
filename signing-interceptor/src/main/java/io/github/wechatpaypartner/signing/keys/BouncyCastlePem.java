package io.github.wechatpaypartner.signing.keys;

import io.github.wechatpaypartner.exception.KeyLoadingException;
import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The loaders' reading of every PEM text the JDK does not read alone ({@link
 * PemObjects#singleBlock}): PKCS#1 and encrypted keys, several blocks, and wrong input, whose
 * every block it names. The loaders reach Bouncy Castle only through this class, so that its
 * classes (signed jars, whose manifests the JDK checks and keeps) load only when needed.
 */
final class BouncyCastlePem {
  private BouncyCastlePem() {}

  /** See {@link PrivateKeyLoader}. */
  static PrivateKey privateKey(String pem, char[] password, String source) {
    List<Object> objects = parse(pem, source, PrivateKeyLoader.EXPECTED);
    Object keyObject = objects.stream()
        .filter(o -> o instanceof PrivateKeyInfo || o instanceof PEMKeyPair
            || o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair)
        .findFirst()
        .orElseThrow(() -> new KeyLoadingException(capitalize(source) + " holds "
            + describeAll(objects) + "; expected " + PrivateKeyLoader.EXPECTED
            + (objects.stream().anyMatch(o -> describe(o).contains("certificate"))
                ? " (apiclient_key.pem, not apiclient_cert.pem)" : "")));

    PrivateKeyInfo info = decrypt(keyObject, password, source);
    String algorithm = algorithm(info.getPrivateKeyAlgorithm());
    if (!"RSA".equals(algorithm)) {
      throw new KeyLoadingException(capitalize(source) + " holds " + article(algorithm)
          + " private key; expected " + PrivateKeyLoader.EXPECTED);
    }
    PrivateKey key;
    try {
      key = new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (Exception e) {
      throw new KeyLoadingException(capitalize(source) + " holds an RSA private key that cannot"
          + " be decoded (" + e.getClass().getSimpleName() + "); expected " + PrivateKeyLoader.EXPECTED, e);
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
    String what = describe(keyObject);
    if (password == null || password.length == 0) {
      throw new KeyLoadingException(capitalize(source) + " holds " + what
          + " but no password was given; pass the key's password or decrypt it first");
    }
    try {
      if (keyObject instanceof PKCS8EncryptedPrivateKeyInfo) {
        return ((PKCS8EncryptedPrivateKeyInfo) keyObject).decryptPrivateKeyInfo(
            new JceOpenSSLPKCS8DecryptorProviderBuilder()
                .setProvider(DecryptionProvider.PROVIDER)
                .build(password));
      }
      return ((PEMEncryptedKeyPair) keyObject)
          .decryptKeyPair(new JcePEMDecryptorProviderBuilder()
              .setProvider(DecryptionProvider.PROVIDER)
              .build(password))
          .getPrivateKeyInfo();
    } catch (Exception e) {
      // A wrong password shows up as a padding error or as garbage that is not ASN.1.
      throw new KeyLoadingException(capitalize(source) + " holds " + what
          + " that could not be decrypted: wrong password (or a corrupted key)", e);
    }
  }

  /** See {@link PublicKeyLoader}. */
  static PublicKey publicKey(String pem, String source) {
    List<Object> objects = parse(pem, source, PublicKeyLoader.EXPECTED);
    SubjectPublicKeyInfo info = first(objects, SubjectPublicKeyInfo.class, source, PublicKeyLoader.EXPECTED);
    String algorithm = algorithm(info.getAlgorithm());
    if (!"RSA".equals(algorithm)) {
      throw new KeyLoadingException(capitalize(source)
          + " holds " + article(algorithm) + " public key; expected " + PublicKeyLoader.EXPECTED);
    }
    PublicKey key;
    try {
      key = new JcaPEMKeyConverter().getPublicKey(info);
    } catch (Exception e) {
      throw new KeyLoadingException("The RSA public key in " + source + " cannot be decoded ("
          + e.getClass().getSimpleName() + "); expected " + PublicKeyLoader.EXPECTED, e);
    }
    return RsaKeys.requireRsa2048(key, "The public key in " + source);
  }

  /** See {@link CertificateLoader}. */
  static X509Certificate certificate(String pem, String source) {
    List<Object> objects = parse(pem, source, CertificateLoader.EXPECTED);
    X509CertificateHolder holder = first(objects, X509CertificateHolder.class, source, CertificateLoader.EXPECTED);
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new KeyLoadingException("The certificate in " + source + " cannot be decoded ("
          + e.getClass().getSimpleName() + "); expected " + CertificateLoader.EXPECTED, e);
    }
  }

  /** The first object of this type, else a failure naming what the text holds instead. */
  private static <T> T first(List<Object> objects, Class<T> type, String source, String expected) {
    return objects.stream().filter(type::isInstance).map(type::cast).findFirst()
        .orElseThrow(() -> new KeyLoadingException(capitalize(source) + " holds "
            + describeAll(objects) + "; expected " + expected));
  }

  /**
   * All PEM objects of {@code pem}, in order. Fails when the text is empty or holds no PEM block,
   * naming {@code source} and what the caller {@code expected}.
   */
  static List<Object> parse(String pem, String source, String expected) {
    if (pem == null || pem.trim().isEmpty()) {
      throw new KeyLoadingException(capitalize(source) + " is empty; expected " + expected);
    }
    List<Object> objects = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object next;
      while ((next = parser.readObject()) != null) {
        objects.add(next);
      }
    } catch (IOException | RuntimeException e) {
      // BC's messages name the broken block ("malformed PEM data..."), never its content.
      throw new KeyLoadingException(capitalize(source) + " is not valid PEM ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + "); expected " + expected, e);
    }
    if (objects.isEmpty()) {
      throw new KeyLoadingException(capitalize(source)
          + " holds no PEM block (no -----BEGIN ...----- line); expected " + expected);
    }
    return objects;
  }

  /** "a certificate (BEGIN CERTIFICATE)", "an EC private key (BEGIN EC PRIVATE KEY)", ... */
  static String describe(Object o) {
    if (o instanceof X509CertificateHolder) {
      return "a certificate (BEGIN CERTIFICATE)";
    }
    if (o instanceof PrivateKeyInfo) {
      return article(algorithm(((PrivateKeyInfo) o).getPrivateKeyAlgorithm()))
          + " private key (BEGIN PRIVATE KEY)";
    }
    if (o instanceof PEMKeyPair) {
      String alg = algorithm(((PEMKeyPair) o).getPrivateKeyInfo().getPrivateKeyAlgorithm());
      return article(alg) + " private key (BEGIN " + alg + " PRIVATE KEY)";
    }
    if (o instanceof PKCS8EncryptedPrivateKeyInfo) {
      return "an encrypted private key (BEGIN ENCRYPTED PRIVATE KEY)";
    }
    if (o instanceof PEMEncryptedKeyPair) {
      return "an encrypted private key (Proc-Type: 4,ENCRYPTED)";
    }
    if (o instanceof SubjectPublicKeyInfo) {
      return article(algorithm(((SubjectPublicKeyInfo) o).getAlgorithm()))
          + " public key (BEGIN PUBLIC KEY)";
    }
    if (o instanceof PKCS10CertificationRequest) {
      return "a certificate signing request (BEGIN CERTIFICATE REQUEST)";
    }
    if (o instanceof X509CRLHolder) {
      return "a certificate revocation list (BEGIN X509 CRL)";
    }
    return "an unsupported PEM object (" + o.getClass().getSimpleName() + ")";
  }

  static String describeAll(List<Object> objects) {
    return objects.stream().map(BouncyCastlePem::describe).collect(Collectors.joining(", "));
  }

  /** "RSA", "EC", "Ed25519", "DSA" or the OID. */
  static String algorithm(AlgorithmIdentifier id) {
    ASN1ObjectIdentifier oid = id.getAlgorithm();
    if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
      return "RSA";
    }
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
      return "EC";
    }
    if (X9ObjectIdentifiers.id_dsa.equals(oid)) {
      return "DSA";
    }
    if (EdECObjectIdentifiers.id_Ed25519.equals(oid)) {
      return "Ed25519";
    }
    if (EdECObjectIdentifiers.id_Ed448.equals(oid)) {
      return "Ed448";
    }
    return "OID " + oid.getId();
  }

  static String article(String algorithm) {
    return (algorithm.startsWith("RSA") || algorithm.startsWith("E") || algorithm.startsWith("O")
        ? "an " : "a ") + algorithm;
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /**
   * Bouncy Castle's provider for PEM decryption (PBES2 and OpenSSL's legacy scheme), created on
   * first use and handed to BC's builders explicitly: it is never installed with
   * {@code Security.addProvider}. It holds no keys.
   */
  private static final class DecryptionProvider {
    static final Provider PROVIDER = new BouncyCastleProvider();
  }
}
