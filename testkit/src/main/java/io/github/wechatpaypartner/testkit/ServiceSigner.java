package io.github.wechatpaypartner.testkit;

import io.github.wechatpaypartner.exception.WechatPayException;
import io.github.wechatpaypartner.signing.CryptoProvider;
import io.github.wechatpaypartner.signing.MessageBytes;
import io.github.wechatpaypartner.signing.sign.NonceSource;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The service's side of the answer signature, for sandboxes and tests that play WeChat Pay:
 * signs an answer or a callback body as the service does, {@code timestamp\nnonce\nbody\n} with
 * SHA256withRSA, and returns the {@code Wechatpay-*} headers. Thread-safe.
 */
public final class ServiceSigner {
  private final PrivateKey key;
  private final String serial;
  private final CryptoProvider provider;
  private final Clock clock;
  private final NonceSource nonces;

  /**
   * @param key the private half of the key the clients trust
   * @param serial its public key id ({@code PUB_KEY_ID_...}) or platform certificate serial
   */
  public ServiceSigner(PrivateKey key, String serial, Clock clock) {
    this(key, serial, CryptoProvider.jdk(), clock, NonceSource.secureRandom());
  }

  public ServiceSigner(PrivateKey key, String serial, CryptoProvider provider, Clock clock,
      NonceSource nonces) {
    this.key = Objects.requireNonNull(key, "key");
    this.serial = Objects.requireNonNull(serial, "serial");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.nonces = Objects.requireNonNull(nonces, "nonces");
  }

  /** The headers for {@code body} now: Wechatpay-Timestamp, -Nonce, -Signature, -Serial, -Signature-Type. */
  public Map<String, String> headers(byte[] body) {
    return headers(clock.instant().getEpochSecond(), nonces.nextNonce(), body);
  }

  /** The headers for {@code body} at {@code timestamp} with {@code nonce} (stale or replayed answers in tests). */
  public Map<String, String> headers(long timestamp, String nonce, byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Wechatpay-Timestamp", Long.toString(timestamp));
    headers.put("Wechatpay-Nonce", nonce);
    headers.put("Wechatpay-Signature", signature(Long.toString(timestamp), nonce, body));
    headers.put("Wechatpay-Serial", serial);
    headers.put("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
    return headers;
  }

  /** Base64 SHA256withRSA of {@code timestamp\nnonce\nbody\n}. */
  public String signature(String timestamp, String nonce, byte[] body) {
    try {
      Signature s = provider.newSignature();
      s.initSign(key);
      s.update(MessageBytes.lines(timestamp, nonce));
      s.update(body);
      s.update(MessageBytes.newline());
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new WechatPayException("Signing an answer with " + provider + " failed: " + e, e);
    }
  }

  public String serial() {
    return serial;
  }

  @Override
  public String toString() {
    return "ServiceSigner[serial=" + serial + "]";
  }
}
