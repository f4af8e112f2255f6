package io.github.wechatpaypartner.conformance.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
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
 * The APIv3 signature rules (shared/reference/signing.md) written straight on
 * {@link java.security.Signature}, independently of the signing module, so that the simulator
 * checks that module rather than agreeing with it by construction.
 */
public final class Signatures {
  public static final String SCHEME = "WECHATPAY2-SHA256-RSA2048";
  private static final String ALGORITHM = "SHA256withRSA";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern PAIR = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private Signatures() {
  }

  /** A throwaway RSA 2048 key pair (test keys are never stored). */
  public static KeyPair newRsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n}. */
  public static String requestMessage(String method, String pathAndQuery, String timestamp,
      String nonce, byte[] body) {
    return method + "\n" + pathAndQuery + "\n" + timestamp + "\n" + nonce + "\n"
        + new String(body, StandardCharsets.UTF_8) + "\n";
  }

  /** {@code TIMESTAMP\nNONCE\nBODY\n}. */
  public static String responseMessage(String timestamp, String nonce, byte[] body) {
    return timestamp + "\n" + nonce + "\n" + new String(body, StandardCharsets.UTF_8) + "\n";
  }

  public static String sign(PrivateKey key, String message) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(key);
      signature.update(message.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** False for a bad signature and for one that is not Base64 at all. */
  public static boolean verify(PublicKey key, String message, String base64Signature) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64Signature);
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initVerify(key);
      signature.update(message.getBytes(StandardCharsets.UTF_8));
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
    String timestamp = nowSeconds();
    String nonce = nonce();
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
