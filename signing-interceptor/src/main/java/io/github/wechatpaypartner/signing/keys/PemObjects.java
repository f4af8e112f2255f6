package io.github.wechatpaypartner.signing.keys;

import io.github.wechatpaypartner.exception.KeyLoadingException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
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
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM text. The common case, a text of exactly one plain block of the expected type
 * ({@link #singleBlock}), is decoded with the JDK alone; anything else is read block by block with
 * Bouncy Castle ({@link #parse}), which also names what a wrong text holds. Bouncy Castle's classes
 * (signed jars, whose manifests the JDK checks and keeps) are thus loaded only when needed.
 */
final class PemObjects {
  private PemObjects() {}

  /**
   * The DER bytes of {@code pem} when it holds exactly one PEM block, of this {@code type} (e.g.
   * {@code PRIVATE KEY}), without headers and with valid Base64; else {@code null}, and the caller
   * reads the text with {@link #parse} instead. Text around the block is ignored, as Bouncy
   * Castle's parser ignores it.
   */
  static byte[] singleBlock(String pem, String type) {
    if (pem == null) {
      return null;
    }
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int start = pem.indexOf(begin);
    if (start < 0 || start > 0 && pem.charAt(start - 1) != '\n'
        || pem.indexOf("-----BEGIN ", start + begin.length()) >= 0
        || pem.lastIndexOf("-----BEGIN ", start - 1) >= 0) {
      return null;
    }
    int stop = pem.indexOf(end, start + begin.length());
    if (stop < 0 || pem.charAt(stop - 1) != '\n') {
      return null;
    }
    String body = pem.substring(start + begin.length(), stop);
    StringBuilder base64 = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == ':') {
        return null; // a header such as Proc-Type: an encrypted legacy key
      }
      if (c != '\r' && c != '\n' && c != ' ' && c != '\t') {
        base64.append(c);
      }
    }
    try {
      return Base64.getDecoder().decode(base64.toString());
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }

  /** The text of a PEM file; a UTF-8 byte order mark is dropped. */
  static String readFile(Path file, String expected) {
    try {
      String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (IOException e) {
      throw new KeyLoadingException("Cannot read " + describeSource(file) + " ("
          + e.getClass().getSimpleName() + "); expected " + expected, e);
    }
  }

  static String describeSource(Path file) {
    return "file " + file.toAbsolutePath();
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
    return objects.stream().map(PemObjects::describe).collect(Collectors.joining(", "));
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
}
