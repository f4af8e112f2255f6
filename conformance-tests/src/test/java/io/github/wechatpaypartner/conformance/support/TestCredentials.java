package io.github.wechatpaypartner.conformance.support;

import java.security.KeyPair;
import java.security.SecureRandom;

/**
 * Throwaway credentials generated at test time: the merchant's key pair (the client signs with the
 * private half, the simulator verifies with the public half) and the WeChat Pay key pair (the
 * simulator signs answers, the client verifies them with the public key named by its id).
 */
public final class TestCredentials {
  private static final SecureRandom RANDOM = new SecureRandom();

  public final String mchid;
  public final String merchantSerialNo;
  public final KeyPair merchantKeys;
  public final String wechatpayPublicKeyId;
  public final KeyPair wechatpayKeys;

  private TestCredentials(String mchid, String merchantSerialNo, KeyPair merchantKeys,
      String wechatpayPublicKeyId, KeyPair wechatpayKeys) {
    this.mchid = mchid;
    this.merchantSerialNo = merchantSerialNo;
    this.merchantKeys = merchantKeys;
    this.wechatpayPublicKeyId = wechatpayPublicKeyId;
    this.wechatpayKeys = wechatpayKeys;
  }

  public static TestCredentials generate() {
    return new TestCredentials("1900000001", randomDigitsOrHex(40, "0123456789ABCDEF"),
        Signatures.newRsaKeyPair(),
        "PUB_KEY_ID_" + randomDigitsOrHex(28, "0123456789"), Signatures.newRsaKeyPair());
  }

  private static String randomDigitsOrHex(int length, String alphabet) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
