package io.github.wechatpaypartner.signing;

import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * The signing tests' fixtures: keys from the project's one generator ({@link GeneratedCredentials}),
 * shared by the whole run, PEM text in the forms the loaders must accept, and the openssl CLI as an
 * independent second opinion.
 */
public final class TestPki {
  /** Merchant and "WeChat Pay" keys of the run. */
  public static final GeneratedCredentials KEYS = GeneratedCredentials.generate();
  /** An unrelated set, for keys that must not verify. */
  private static final GeneratedCredentials OTHER = GeneratedCredentials.generate();

  private TestPki() {}

  public static KeyPair rsa(int bits) {
    return GeneratedCredentials.rsa(bits);
  }

  public static KeyPair merchantKey() {
    return KEYS.merchantKeys();
  }

  /** The test "WeChat Pay" key that signs answers and callbacks. */
  public static KeyPair wechatpayKey() {
    return KEYS.wechatpayKeys();
  }

  /** A second, unrelated key. */
  public static KeyPair otherKey() {
    return OTHER.merchantKeys();
  }

  /** PEM as Bouncy Castle writes it: a PrivateKey becomes PKCS#1 {@code BEGIN RSA PRIVATE KEY} (SEC1 for EC). */
  public static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  /** PKCS#8 {@code BEGIN PRIVATE KEY}, as the merchant platform issues it. */
  public static String pkcs8Pem(PrivateKey key) {
    return GeneratedCredentials.pem(key);
  }

  public static Path write(Path dir, String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, text.getBytes(StandardCharsets.US_ASCII));
    return file;
  }

  public static X509Certificate selfSigned(KeyPair keys, BigInteger serial, String commonName) {
    return GeneratedCredentials.selfSignedCertificate(keys, serial, commonName);
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
