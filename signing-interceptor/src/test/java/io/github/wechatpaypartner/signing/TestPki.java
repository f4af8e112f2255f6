package io.github.wechatpaypartner.signing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test keys and certificates made at test time, plus a thin wrapper around the openssl CLI. */
public final class TestPki {
  private static KeyPair merchant;
  private static KeyPair wechatpay;
  private static KeyPair other;

  private TestPki() {}

  public static KeyPair rsa(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One merchant key for the whole run (RSA generation is slow). */
  public static synchronized KeyPair merchantKey() {
    if (merchant == null) {
      merchant = rsa(2048);
    }
    return merchant;
  }

  /** The test "WeChat Pay" key that signs answers and callbacks. */
  public static synchronized KeyPair wechatpayKey() {
    if (wechatpay == null) {
      wechatpay = rsa(2048);
    }
    return wechatpay;
  }

  /** A second, unrelated key. */
  public static synchronized KeyPair otherKey() {
    if (other == null) {
      other = rsa(2048);
    }
    return other;
  }

  /** PEM of any object Bouncy Castle can write (a PrivateKey becomes BEGIN RSA PRIVATE KEY). */
  public static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  /** PKCS#8 {@code BEGIN PRIVATE KEY}, written by hand from the encoded key. */
  public static String pkcs8Pem(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  public static Path write(Path dir, String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, text.getBytes(StandardCharsets.US_ASCII));
    return file;
  }

  public static X509Certificate selfSigned(KeyPair keys, BigInteger serial, String commonName) {
    try {
      X500Name name = new X500Name("CN=" + commonName + ",O=Test fixture");
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
          Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(365, ChronoUnit.DAYS)),
          name, keys.getPublic());
      return new JcaX509CertificateConverter().getCertificate(builder.build(
          new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs openssl with {@code args}; returns stdout; fails with stderr on a non-zero exit. */
  public static byte[] openssl(Path workDir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectError(workDir.resolve("openssl-stderr.txt").toFile())
        .start();
    process.getOutputStream().close();
    byte[] stdout = readAll(process.getInputStream());
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("openssl did not finish: " + command);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("openssl failed (" + process.exitValue() + "): " + command
          + "\n" + Files.readString(workDir.resolve("openssl-stderr.txt")));
    }
    return stdout;
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }
}
