package io.github.wechatpaypartner.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The APIv3 signature rules as the service applies them, written straight on
 * {@link java.security.Signature} and independent of the signing module: the sandbox checks that
 * module (and any other client) rather than agreeing with it by construction. The official SDK's
 * tests against the sandbox show these rules are the service's. Messages are bytes: the body is
 * signed exactly as it travels, never decoded and encoded again.
 */
public final class Signatures {
  public static final String SCHEME = "WECHATPAY2-SHA256-RSA2048";
  private static final String ALGORITHM = "SHA256withRSA";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern PAIR = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private Signatures() {
  }

  /** {@code METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n}. */
  public static byte[] requestMessage(String method, String pathAndQuery, String timestamp,
      String nonce, byte[] body) {
    return lines(body, method, pathAndQuery, timestamp, nonce);
  }

  /** {@code TIMESTAMP\nNONCE\nBODY\n}. */
  public static byte[] responseMessage(String timestamp, String nonce, byte[] body) {
    return lines(body, timestamp, nonce);
  }

  private static byte[] lines(byte[] body, String... heads) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 256);
    for (String head : heads) {
      out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
    out.writeBytes(body);
    out.write('\n');
    return out.toByteArray();
  }

  /** Base64 SHA256withRSA of {@code message}. */
  public static String sign(PrivateKey key, byte[] message) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(key);
      signature.update(message);
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** False for a bad signature and for one that is not Base64 at all. */
  public static boolean verify(PublicKey key, byte[] message, String base64Signature) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64Signature);
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initVerify(key);
      signature.update(message);
      return signature.verify(raw);
    } catch (java.security.SignatureException malformed) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** 32 upper-case hex characters. */
  public static String nonce() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    StringBuilder sb = new StringBuilder(32);
    for (byte b : bytes) {
      sb.append(String.format(Locale.ROOT, "%02X", b));
    }
    return sb.toString();
  }

  public static String nowSeconds() {
    return Long.toString(System.currentTimeMillis() / 1000);
  }

  /** A complete {@code Authorization} header value for a request, signed now. */
  public static String authorization(String mchid, String serialNo, PrivateKey key, String method,
      String pathAndQuery, byte[] body) {
    return authorization(mchid, serialNo, key, method, pathAndQuery, body, nowSeconds(), nonce());
  }

  /** A complete {@code Authorization} header value with the given timestamp and nonce. */
  public static String authorization(String mchid, String serialNo, PrivateKey key, String method,
      String pathAndQuery, byte[] body, String timestamp, String nonce) {
    String signature = sign(key, requestMessage(method, pathAndQuery, timestamp, nonce, body));
    return SCHEME + " mchid=\"" + mchid + "\",nonce_str=\"" + nonce + "\",signature=\""
        + signature + "\",timestamp=\"" + timestamp + "\",serial_no=\"" + serialNo + "\"";
  }

  /**
   * The key="value" pairs after the scheme, or {@code null} when the header does not use the
   * partner scheme.
   */
  public static Map<String, String> parseAuthorization(String header) {
    if (header == null || !header.startsWith(SCHEME + " ")) {
      return null;
    }
    Map<String, String> pairs = new LinkedHashMap<>();
    Matcher m = PAIR.matcher(header.substring(SCHEME.length() + 1));
    while (m.find()) {
      pairs.put(m.group(1), m.group(2));
    }
    return pairs;
  }
}
