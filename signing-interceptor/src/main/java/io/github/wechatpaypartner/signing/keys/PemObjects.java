package io.github.wechatpaypartner.signing.keys;

import io.github.wechatpaypartner.exception.KeyLoadingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Reads PEM text with the JDK alone: the common case, a text of exactly one plain block of the
 * expected type ({@link #singleBlock}). Anything else goes to {@link BouncyCastlePem}.
 */
final class PemObjects {
  private PemObjects() {}

  /**
   * The DER bytes of {@code pem} when it holds exactly one PEM block, of this {@code type} (e.g.
   * {@code PRIVATE KEY}), without headers and with valid Base64; else {@code null}, and the caller
   * reads the text with {@link BouncyCastlePem} instead. Text around the block is ignored, as Bouncy
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
}
