package io.github.wechatpaypartner.signing.keys;

/**
 * Where a verifier and a signer read the WeChat Pay keys a merchant trusts: a fixed {@link
 * WechatPayKeySet} (which is its own source), or a set kept current by downloads, such as {@code
 * signing.certificates.PlatformCertificates}. Implementations are thread-safe.
 */
public interface TrustedKeys {
  /** The keys trusted now; cheap, called on every answer and every request. */
  WechatPayKeySet current();

  /**
   * Called when an answer or a notification names {@code serial}, which {@link #current()} does
   * not hold: a managed set may download again (bounded in time) before returning. A fixed set
   * returns itself.
   */
  default WechatPayKeySet afterUnknownSerial(String serial) {
    return current();
  }
}
