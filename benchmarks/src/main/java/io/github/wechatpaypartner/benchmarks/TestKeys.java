package io.github.wechatpaypartner.benchmarks;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * Keys generated at setup, never stored: the merchant's API key pair (signs requests) and a
 * stand-in for the WeChat Pay platform key pair (the loopback server signs answers with it).
 */
public final class TestKeys {
  /** An obviously fake merchant id (the one signing.md uses in its header example). */
  public static final String TEST_MCHID = "1900000001";
  /** A WeChat Pay public key id of the documented shape, naming the generated test key. */
  public static final String TEST_PUBLIC_KEY_ID = "PUB_KEY_ID_0119000000012026112300000000000001";
  /** An APIv3 key is required by the official SDK's config; callbacks are not measured. */
  public static final String TEST_API_V3_KEY = "TestApiV3Key0123456789abcdefABCD";

  public final KeyPair merchant;
  public final String merchantSerial;
  public final KeyPair wechatPay;
  /** A third pair the clients do not trust: answers signed with it must be rejected. */
  public final KeyPair stranger;

  private TestKeys(KeyPair merchant, String merchantSerial, KeyPair wechatPay, KeyPair stranger) {
    this.merchant = merchant;
    this.merchantSerial = merchantSerial;
    this.wechatPay = wechatPay;
    this.stranger = stranger;
  }

  public static TestKeys generate() {
    SecureRandom random = new SecureRandom();
    byte[] serial = new byte[20];
    random.nextBytes(serial);
    StringBuilder hex = new StringBuilder();
    for (byte b : serial) {
      hex.append(String.format(Locale.ROOT, "%02X", b & 0xff));
    }
    return new TestKeys(rsa2048(random), hex.toString(), rsa2048(random), rsa2048(random));
  }

  private static KeyPair rsa2048(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, random);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK offers no RSA key pair generator", e);
    }
  }
}
