package io.github.wechatpaypartner.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The files a new user starts from, in one directory: {@code apiclient_key.pem} (PKCS#8),
 * {@code pub_key.pem} (the WeChat Pay public key), the merchant serial, and one operation's path and
 * request JSON. Written by the parent of the cold-start and memory JVMs, read by each child with
 * nothing but {@link Files}, so that a child loads only its client's classes.
 */
public final class KeyFiles {
  private final Path dir;

  public KeyFiles(Path dir) {
    this.dir = dir;
  }

  /** Writes the files for this operation, from freshly generated test keys. */
  public static KeyFiles write(Path dir, TestKeys keys, SpecFixtures.Operation op) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("apiclient_key.pem"), pem("PRIVATE KEY", keys.merchant.getPrivate().getEncoded()));
    Files.writeString(dir.resolve("pub_key.pem"), pem("PUBLIC KEY", keys.wechatPay.getPublic().getEncoded()));
    Files.writeString(dir.resolve("merchant_serial"), keys.merchantSerial);
    Files.writeString(dir.resolve("path"), op.path);
    Files.writeString(dir.resolve("operation"), op.operationId);
    Files.write(dir.resolve("request.json"), op.requestBytes());
    return new KeyFiles(dir);
  }

  public Path privateKey() {
    return dir.resolve("apiclient_key.pem");
  }

  public Path wechatpayPublicKey() {
    return dir.resolve("pub_key.pem");
  }

  public String merchantSerial() throws IOException {
    return Files.readString(dir.resolve("merchant_serial"), StandardCharsets.US_ASCII).trim();
  }

  /** The operation's path, parameters filled in. */
  public String path() throws IOException {
    return Files.readString(dir.resolve("path"), StandardCharsets.UTF_8).trim();
  }

  public String operationId() throws IOException {
    return Files.readString(dir.resolve("operation"), StandardCharsets.US_ASCII).trim();
  }

  public byte[] requestJson() throws IOException {
    return Files.readAllBytes(dir.resolve("request.json"));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
