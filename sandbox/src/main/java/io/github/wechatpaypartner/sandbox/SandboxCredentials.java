package io.github.wechatpaypartner.sandbox;

import io.github.wechatpaypartner.signing.keys.CertificateLoader;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import io.github.wechatpaypartner.signing.keys.PrivateKeyLoader;
import io.github.wechatpaypartner.signing.keys.PublicKeyLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import io.github.wechatpaypartner.testkit.ServiceSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
  /**
   * The machine-readable description of the sandbox (credentials, files; a running sandbox adds its
   * URL and port): {@code sandbox/README.md} documents its fields.
   */
  public static final String DESCRIPTION_FILE = "sandbox.json";
  private static final ObjectMapper JSON = WechatPayJson.newObjectMapper();
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

  private final String mchid;
  private final X509Certificate merchantCertificate;
  private final PrivateKey merchantPrivateKey;
  /** The WeChat Pay key and its id, swapped as one by {@link #rotateWechatpayKey()}. */
  private volatile WechatpayKey wechatpayKey;
  private final String apiV3Key;

  private static final class WechatpayKey {
    final String id;
    final KeyPair keys;

    WechatpayKey(String id, KeyPair keys) {
      this.id = Objects.requireNonNull(id, "wechatpayPublicKeyId");
      this.keys = Objects.requireNonNull(keys, "wechatpayKeys");
    }
  }

  private SandboxCredentials(String mchid, X509Certificate merchantCertificate, PrivateKey merchantPrivateKey,
      String wechatpayPublicKeyId, KeyPair wechatpayKeys, String apiV3Key) {
    this.mchid = Objects.requireNonNull(mchid, "mchid");
    this.merchantCertificate = Objects.requireNonNull(merchantCertificate, "merchantCertificate");
    this.merchantPrivateKey = merchantPrivateKey;
    this.wechatpayKey = new WechatpayKey(wechatpayPublicKeyId, wechatpayKeys);
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
    Path description = dir.resolve(DESCRIPTION_FILE);
    if (!Files.isRegularFile(description)) {
      return Optional.empty();
    }
    try {
      JsonNode d = JSON.readTree(description.toFile());
      Path merchantKey = dir.resolve(MERCHANT_KEY_FILE);
      PublicKey wechatpayPublic = PublicKeyLoader.fromFile(dir.resolve(WECHATPAY_PUBLIC_KEY_FILE));
      PrivateKey wechatpayPrivate = PrivateKeyLoader.fromFile(dir.resolve(SANDBOX_PRIVATE_KEY_FILE));
      return Optional.of(new SandboxCredentials(required(d, "mchid", description),
          CertificateLoader.fromFile(dir.resolve(MERCHANT_CERT_FILE)),
          Files.isRegularFile(merchantKey) ? PrivateKeyLoader.fromFile(merchantKey) : null,
          required(d, "wechatpay_public_key_id", description), new KeyPair(wechatpayPublic, wechatpayPrivate),
          Files.readString(dir.resolve(API_V3_KEY_FILE), StandardCharsets.US_ASCII).trim()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the sandbox credentials in " + dir, e);
    }
  }

  private static String required(JsonNode description, String key, Path file) {
    String value = description.path(key).asText("");
    if (value.isBlank()) {
      throw new IllegalStateException(file + " lacks " + key);
    }
    return value.trim();
  }

  /**
   * Writes the client's files ({@code apiclient_key.pem} when the sandbox made the merchant key,
   * {@code apiclient_cert.pem}, {@code pub_key.pem}, {@code apiv3_key.txt}), the sandbox's own WeChat
   * Pay private key and {@link #DESCRIPTION_FILE} into {@code dir}, readable by their owner only
   * (where the file system has POSIX permissions); returns {@code dir}.
   */
  public Path writeFiles(Path dir) {
    return writeFiles(dir, description(dir));
  }

  /** As {@link #writeFiles(Path)}, with {@code description} (this set's fields and more) as {@link #DESCRIPTION_FILE}. */
  Path writeFiles(Path dir, ObjectNode description) {
    try {
      Files.createDirectories(dir);
      restrict(dir, OWNER_ONLY_DIR);
      WechatpayKey key = wechatpayKey;
      if (merchantPrivateKey != null) {
        write(dir.resolve(MERCHANT_KEY_FILE), GeneratedCredentials.pem(merchantPrivateKey));
      }
      write(dir.resolve(MERCHANT_CERT_FILE), GeneratedCredentials.pem(merchantCertificate));
      write(dir.resolve(WECHATPAY_PUBLIC_KEY_FILE), GeneratedCredentials.pem(key.keys.getPublic()));
      write(dir.resolve(API_V3_KEY_FILE), apiV3Key);
      write(dir.resolve(SANDBOX_PRIVATE_KEY_FILE), GeneratedCredentials.pem(key.keys.getPrivate()));
      write(dir.resolve(DESCRIPTION_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(description) + "\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sandbox credentials to " + dir, e);
    }
  }

  /** The credential fields of {@link #DESCRIPTION_FILE}, with the files as they lie in {@code dir}. */
  ObjectNode description(Path dir) {
    WechatpayKey key = wechatpayKey;
    ObjectNode d = JSON.createObjectNode();
    d.put("mchid", mchid);
    d.put("merchant_serial", merchantSerial());
    d.put("wechatpay_public_key_id", key.id);
    d.put("apiv3_key", apiV3Key);
    ObjectNode files = d.putObject("files");
    files.put("dir", dir.toAbsolutePath().toString());
    if (merchantPrivateKey != null) {
      files.put("merchant_private_key", dir.resolve(MERCHANT_KEY_FILE).toAbsolutePath().toString());
    }
    files.put("merchant_certificate", dir.resolve(MERCHANT_CERT_FILE).toAbsolutePath().toString());
    files.put("wechatpay_public_key", dir.resolve(WECHATPAY_PUBLIC_KEY_FILE).toAbsolutePath().toString());
    files.put("apiv3_key", dir.resolve(API_V3_KEY_FILE).toAbsolutePath().toString());
    return d;
  }

  /** Created owner-only before the first byte is written, so no other user can read it even briefly. */
  private static void write(Path file, String text) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
    try {
      Files.setPosixFilePermissions(path, permissions);
    } catch (UnsupportedOperationException notPosix) {
      // e.g. Windows: the user's profile folders are private already
    }
  }

  /**
   * Replaces the WeChat Pay key pair and its public key id with new ones; answers and notifications
   * are signed with the new key from now on (clients must trust its public half to verify them).
   * Returns the new public key id.
   */
  public String rotateWechatpayKey() {
    wechatpayKey = new WechatpayKey(GeneratedCredentials.newPublicKeyId(), GeneratedCredentials.rsa2048());
    return wechatpayKey.id;
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
    return wechatpayKey.id;
  }

  /** The sandbox's WeChat Pay key pair; clients trust the public half. */
  public KeyPair wechatpayKeys() {
    return wechatpayKey.keys;
  }

  /** A signer with the current WeChat Pay key (id and key read together, so a rotation never mixes them). */
  ServiceSigner wechatpaySigner(java.time.Clock clock) {
    WechatpayKey key = wechatpayKey;
    return new ServiceSigner(key.keys.getPrivate(), key.id, clock);
  }

  /** 32 ASCII characters; callbacks are encrypted with it. */
  public String apiV3Key() {
    return apiV3Key;
  }

  @Override
  public String toString() {
    return "SandboxCredentials[mchid=" + mchid + ", serial_no=" + merchantSerial()
        + ", wechatpayPublicKeyId=" + wechatpayPublicKeyId() + "]";
  }
}
