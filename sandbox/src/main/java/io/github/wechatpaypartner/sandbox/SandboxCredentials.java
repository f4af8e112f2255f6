package io.github.wechatpaypartner.sandbox;

import io.github.wechatpaypartner.signing.keys.CertificateLoader;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import io.github.wechatpaypartner.signing.keys.PrivateKeyLoader;
import io.github.wechatpaypartner.signing.keys.PublicKeyLoader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * What the sandbox trusts and signs with: the merchant (mchid, API certificate, hence
 * {@code serial_no} and the public key that checks request signatures), the WeChat Pay key pair
 * with its public key id (answers and callbacks are signed with it), and the APIv3 key (callbacks
 * are encrypted with it). Generated, loaded from the files an earlier run wrote, or built around the
 * user's own merchant certificate. Nothing here can be a production credential: the WeChat Pay key
 * is always the sandbox's own.
 */
public final class SandboxCredentials {
  /** The files a client needs, as {@link GeneratedCredentials#writeClientFiles} names them. */
  public static final String MERCHANT_KEY_FILE = "apiclient_key.pem";
  public static final String MERCHANT_CERT_FILE = "apiclient_cert.pem";
  public static final String WECHATPAY_PUBLIC_KEY_FILE = "pub_key.pem";
  public static final String API_V3_KEY_FILE = "apiv3_key.txt";
  /** The sandbox's own files, so a restart with the same folder keeps every configured client working. */
  static final String SANDBOX_PRIVATE_KEY_FILE = "sandbox-only-wechatpay-private-key.pem";
  static final String SANDBOX_PROPERTIES_FILE = "sandbox.properties";

  private final String mchid;
  private final X509Certificate merchantCertificate;
  private final PrivateKey merchantPrivateKey;
  private final String wechatpayPublicKeyId;
  private final KeyPair wechatpayKeys;
  private final String apiV3Key;

  private SandboxCredentials(String mchid, X509Certificate merchantCertificate, PrivateKey merchantPrivateKey,
      String wechatpayPublicKeyId, KeyPair wechatpayKeys, String apiV3Key) {
    this.mchid = Objects.requireNonNull(mchid, "mchid");
    this.merchantCertificate = Objects.requireNonNull(merchantCertificate, "merchantCertificate");
    this.merchantPrivateKey = merchantPrivateKey;
    this.wechatpayPublicKeyId = Objects.requireNonNull(wechatpayPublicKeyId, "wechatpayPublicKeyId");
    this.wechatpayKeys = Objects.requireNonNull(wechatpayKeys, "wechatpayKeys");
    this.apiV3Key = Objects.requireNonNull(apiV3Key, "apiV3Key");
  }

  /** A fresh set for merchant 1900000001. */
  public static SandboxCredentials generate() {
    return of(GeneratedCredentials.generate());
  }

  public static SandboxCredentials of(GeneratedCredentials generated) {
    return new SandboxCredentials(generated.mchid(), generated.merchantCertificate(),
        generated.merchantKeys().getPrivate(), generated.wechatpayPublicKeyId(), generated.wechatpayKeys(),
        generated.apiV3Key());
  }

  /**
   * Trusts the user's own merchant certificate ({@code apiclient_cert.pem}) for {@code mchid}; the
   * WeChat Pay key and the APIv3 key are generated. The user keeps the private key: the sandbox
   * never sees it.
   */
  public static SandboxCredentials trustingMerchant(String mchid, Path apiclientCertPem) {
    if (mchid == null || !mchid.matches("[0-9]{1,32}")) {
      throw new IllegalArgumentException("mchid must be 1 to 32 digits, got '" + mchid + "'");
    }
    return new SandboxCredentials(mchid, CertificateLoader.fromFile(apiclientCertPem), null,
        GeneratedCredentials.newPublicKeyId(), GeneratedCredentials.rsa2048(), GeneratedCredentials.randomAlphanumeric(32));
  }

  /** The credentials an earlier run wrote into {@code dir} with {@link #writeFiles}, if it did. */
  public static Optional<SandboxCredentials> load(Path dir) {
    Path properties = dir.resolve(SANDBOX_PROPERTIES_FILE);
    if (!Files.isRegularFile(properties)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(properties, StandardCharsets.UTF_8)) {
      p.load(in);
      Path merchantKey = dir.resolve(MERCHANT_KEY_FILE);
      PublicKey wechatpayPublic = PublicKeyLoader.fromFile(dir.resolve(WECHATPAY_PUBLIC_KEY_FILE));
      PrivateKey wechatpayPrivate = PrivateKeyLoader.fromFile(dir.resolve(SANDBOX_PRIVATE_KEY_FILE));
      return Optional.of(new SandboxCredentials(required(p, "mchid", properties),
          CertificateLoader.fromFile(dir.resolve(MERCHANT_CERT_FILE)),
          Files.isRegularFile(merchantKey) ? PrivateKeyLoader.fromFile(merchantKey) : null,
          required(p, "wechatpay_public_key_id", properties), new KeyPair(wechatpayPublic, wechatpayPrivate),
          Files.readString(dir.resolve(API_V3_KEY_FILE), StandardCharsets.US_ASCII).trim()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the sandbox credentials in " + dir, e);
    }
  }

  private static String required(Properties p, String key, Path file) {
    String value = p.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(file + " lacks " + key);
    }
    return value.trim();
  }

  /**
   * Writes the client's files ({@code apiclient_key.pem} when the sandbox made the merchant key,
   * {@code apiclient_cert.pem}, {@code pub_key.pem}, {@code apiv3_key.txt}) and the sandbox's own
   * (its WeChat Pay private key, {@code sandbox.properties}) into {@code dir}; returns {@code dir}.
   */
  public Path writeFiles(Path dir) {
    try {
      Files.createDirectories(dir);
      if (merchantPrivateKey != null) {
        write(dir.resolve(MERCHANT_KEY_FILE), GeneratedCredentials.pem(merchantPrivateKey));
      }
      write(dir.resolve(MERCHANT_CERT_FILE), GeneratedCredentials.pem(merchantCertificate));
      write(dir.resolve(WECHATPAY_PUBLIC_KEY_FILE), GeneratedCredentials.pem(wechatpayKeys.getPublic()));
      write(dir.resolve(API_V3_KEY_FILE), apiV3Key);
      write(dir.resolve(SANDBOX_PRIVATE_KEY_FILE), GeneratedCredentials.pem(wechatpayKeys.getPrivate()));
      Properties p = new Properties();
      p.setProperty("mchid", mchid);
      p.setProperty("merchant_serial", merchantSerial());
      p.setProperty("wechatpay_public_key_id", wechatpayPublicKeyId);
      try (Writer out = Files.newBufferedWriter(dir.resolve(SANDBOX_PROPERTIES_FILE), StandardCharsets.UTF_8)) {
        p.store(out, "WeChat Pay sandbox: generated credentials, never valid for the real service");
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sandbox credentials to " + dir, e);
    }
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.US_ASCII);
  }

  public String mchid() {
    return mchid;
  }

  /** Upper-case hex serial of the merchant certificate: the {@code serial_no} requests must carry. */
  public String merchantSerial() {
    return CertificateLoader.serialOf(merchantCertificate);
  }

  public X509Certificate merchantCertificate() {
    return merchantCertificate;
  }

  /** The key that checks request signatures. */
  public PublicKey merchantPublicKey() {
    return merchantCertificate.getPublicKey();
  }

  /** The merchant private key when the sandbox generated it; empty when the user brought a certificate. */
  public Optional<PrivateKey> merchantPrivateKey() {
    return Optional.ofNullable(merchantPrivateKey);
  }

  /** {@code PUB_KEY_ID_...}: the {@code Wechatpay-Serial} of every answer and callback. */
  public String wechatpayPublicKeyId() {
    return wechatpayPublicKeyId;
  }

  /** The sandbox's WeChat Pay key pair; clients trust the public half. */
  public KeyPair wechatpayKeys() {
    return wechatpayKeys;
  }

  /** 32 ASCII characters; callbacks are encrypted with it. */
  public String apiV3Key() {
    return apiV3Key;
  }

  @Override
  public String toString() {
    return "SandboxCredentials[mchid=" + mchid + ", serial_no=" + merchantSerial()
        + ", wechatpayPublicKeyId=" + wechatpayPublicKeyId + "]";
  }
}
