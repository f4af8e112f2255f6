package io.github.wechatpaypartner.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Plays the service in tests: signs answers and callbacks the way WeChat Pay does. */
public final class WechatPaySide {
  private final PrivateKey key;
  private final String serial;

  public WechatPaySide(PrivateKey key, String serial) {
    this.key = key;
    this.serial = serial;
  }

  /** The Wechatpay-* headers (and a Request-ID) for {@code body} at {@code timestamp}. */
  public Map<String, String> headers(long timestamp, String nonce, byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Wechatpay-Timestamp", Long.toString(timestamp));
    headers.put("Wechatpay-Nonce", nonce);
    headers.put("Wechatpay-Signature", sign(timestamp + "\n" + nonce + "\n", body));
    headers.put("Wechatpay-Serial", serial);
    headers.put("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
    headers.put("Request-ID", "08F78BB5AF0610D302180018F2E9A0C407-0");
    return headers;
  }

  public String sign(String head, byte[] body) {
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(head.getBytes(StandardCharsets.UTF_8));
      signature.update(body);
      signature.update((byte) '\n');
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
