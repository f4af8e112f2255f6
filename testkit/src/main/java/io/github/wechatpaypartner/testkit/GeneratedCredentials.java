package io.github.wechatpaypartner.testkit;

import io.github.wechatpaypartner.exception.KeyLoadingException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * A complete, freshly generated set of credentials for a sandbox or a test: the merchant's RSA key
 * and self-signed API certificate (its serial is the {@code serial_no} requests carry), the
 * "WeChat Pay" key pair that signs answers and callbacks with its public key id, and an APIv3 key.
 * Nothing here is, or can become, a production credential: every key is made at run time and
 * every certificate is self-signed.
 *
 * <p>RSA generation costs tens of milliseconds; tests share an instance rather than make one
 * per test.
 */
public final class GeneratedCredentials {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final String mchid;
  private final KeyPair merchantKeys;
  private final X509Certificate merchantCertificate;
  private final String wechatpayPublicKeyId;
  private final KeyPair wechatpayKeys;
  private final String apiV3Key;

  private GeneratedCredentials(String mchid) {
    this.mchid = mchid;
    this.merchantKeys = rsa2048();
    this.merchantCertificate = selfSignedCertificate(merchantKeys, "Merchant " + mchid + " (generated)");
    this.wechatpayPublicKeyId = newPublicKeyId();
    this.wechatpayKeys = rsa2048();
    this.apiV3Key = randomAlphanumeric(32);
  }

  /** A new set for merchant {@code 1900000001} (the documentation's example merchant id). */
  public static GeneratedCredentials generate() {
    return generate("1900000001");
  }

  /** A new set for the given merchant id (digits). */
  public static GeneratedCredentials generate(String mchid) {
    Objects.requireNonNull(mchid, "mchid");
    if (!mchid.matches("[0-9]{1,32}")) {
      throw new KeyLoadingException("mchid must be 1 to 32 digits, got '" + mchid + "'");
    }
    return new GeneratedCredentials(mchid);
  }

  public String mchid() {
    return mchid;
  }

  /** The merchant API key pair ({@code apiclient_key.pem} holds the private half). */
  public KeyPair merchantKeys() {
    return merchantKeys;
  }

  /** The merchant API certificate ({@code apiclient_cert.pem}), self-signed. */
  public X509Certificate merchantCertificate() {
    return merchantCertificate;
  }

  /** Upper-case hex serial of {@link #merchantCertificate()}: the {@code serial_no} of requests. */
  public String merchantSerial() {
    return merchantCertificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
  }

  /** {@code PUB_KEY_ID_} followed by 32 digits, naming {@link #wechatpayKeys()}' public half. */
  public String wechatpayPublicKeyId() {
    return wechatpayPublicKeyId;
  }

  /** The key pair standing in for WeChat Pay's: the private half signs answers and callbacks. */
  public KeyPair wechatpayKeys() {
    return wechatpayKeys;
  }

  /** 32 ASCII characters, for callback encryption. */
  public String apiV3Key() {
    return apiV3Key;
  }

  /**
   * Writes the files a client needs into {@code dir}: {@code apiclient_key.pem} (PKCS#8),
   * {@code apiclient_cert.pem}, {@code pub_key.pem} (the WeChat Pay public key) and
   * {@code apiv3_key.txt}; returns {@code dir}.
   */
  public Path writeClientFiles(Path dir) {
    try {
      Files.createDirectories(dir);
      write(dir.resolve("apiclient_key.pem"), pem(merchantKeys.getPrivate()));
      write(dir.resolve("apiclient_cert.pem"), pem(merchantCertificate));
      write(dir.resolve("pub_key.pem"), pem(wechatpayKeys.getPublic()));
      write(dir.resolve("apiv3_key.txt"), apiV3Key);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the generated credentials to " + dir, e);
    }
  }

  @Override
  public String toString() {
    return "GeneratedCredentials[mchid=" + mchid + ", serial_no=" + merchantSerial()
        + ", wechatpayPublicKeyId=" + wechatpayPublicKeyId + "]";
  }

  /** A new RSA 2048 key pair. */
  public static KeyPair rsa2048() {
    return rsa(2048);
  }

  /** A new RSA key pair of the given size (tests use small ones to check they are refused). */
  public static KeyPair rsa(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA key generation is not available in this JVM", e);
    }
  }

  /**
   * A self-signed certificate for {@code keys}, valid from yesterday for a year, with a random
   * 20-byte serial as the service issues them: 40 hex digits, top bit clear (so no client that
   * prints it as a signed integer adds a leading {@code 00}), first digit not 0.
   */
  public static X509Certificate selfSignedCertificate(KeyPair keys, String commonName) {
    return selfSignedCertificate(keys, new BigInteger(1, randomBytes(20)).clearBit(159).setBit(156), commonName);
  }

  /** A self-signed certificate for {@code keys} with the given serial. */
  public static X509Certificate selfSignedCertificate(KeyPair keys, BigInteger serial, String commonName) {
    X500Name name = new X500Name("CN=" + commonName.replace(",", " ") + ",O=Generated - not for production");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
        Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(365, ChronoUnit.DAYS)),
        name, keys.getPublic());
    try {
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot self-sign a certificate", e);
    }
  }

  /** A random public key id of the documented shape: {@code PUB_KEY_ID_} and 32 digits. */
  public static String newPublicKeyId() {
    StringBuilder id = new StringBuilder("PUB_KEY_ID_");
    for (int i = 0; i < 32; i++) {
      id.append((char) ('0' + RANDOM.nextInt(10)));
    }
    return id.toString();
  }

  /**
   * PEM text: a {@link PrivateKey} as PKCS#8 ({@code BEGIN PRIVATE KEY}, what the merchant
   * platform issues), a {@link PublicKey} as {@code BEGIN PUBLIC KEY}, a certificate as
   * {@code BEGIN CERTIFICATE}; anything else Bouncy Castle can write in its own form
   * (e.g. a {@link KeyPair} as PKCS#1 {@code BEGIN RSA PRIVATE KEY}).
   */
  public static String pem(Object object) {
    try {
      if (object instanceof PrivateKey) {
        return pemBlock("PRIVATE KEY", ((PrivateKey) object).getEncoded());
      }
      if (object instanceof PublicKey) {
        return pemBlock("PUBLIC KEY", ((PublicKey) object).getEncoded());
      }
      if (object instanceof X509Certificate) {
        return pemBlock("CERTIFICATE", ((X509Certificate) object).getEncoded());
      }
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode the certificate", e);
    }
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (CertIOException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** {@code length} random letters and digits. */
  public static String randomAlphanumeric(int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
    }
    return s.toString();
  }

  private static String pemBlock(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static void write(Path file, String text) throws IOException {
    Files.write(file, text.getBytes(StandardCharsets.US_ASCII));
  }
}
