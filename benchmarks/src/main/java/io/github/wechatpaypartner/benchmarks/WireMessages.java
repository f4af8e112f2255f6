package io.github.wechatpaypartner.benchmarks;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.Locale;

/** The two signature messages of signing.md, and a plain JDK signer for the server side. */
public final class WireMessages {
  private static final SecureRandom RANDOM = new SecureRandom();

  private WireMessages() {
  }

  /** {@code METHOD\nPATH\nTIMESTAMP\nNONCE\nBODY\n}. */
  public static byte[] requestMessage(String method, String canonicalUrl, long timestamp, String nonce, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 128);
    write(out, method + "\n" + canonicalUrl + "\n" + timestamp + "\n" + nonce + "\n");
    out.write(body, 0, body.length);
    out.write('\n');
    return out.toByteArray();
  }

  /** {@code TIMESTAMP\nNONCE\nBODY\n}. */
  public static byte[] responseMessage(String timestamp, String nonce, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
    write(out, timestamp + "\n" + nonce + "\n");
    out.write(body, 0, body.length);
    out.write('\n');
    return out.toByteArray();
  }

  /** 32 upper-case hex characters, the usual nonce shape. */
  public static String nonce() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    StringBuilder hex = new StringBuilder(32);
    for (byte b : bytes) {
      hex.append(String.format(Locale.ROOT, "%02X", b & 0xff));
    }
    return hex.toString();
  }

  public static String signBase64(PrivateKey key, byte[] message) {
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(message);
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with the test key", e);
    }
  }

  private static void write(ByteArrayOutputStream out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write(bytes, 0, bytes.length);
  }
}
