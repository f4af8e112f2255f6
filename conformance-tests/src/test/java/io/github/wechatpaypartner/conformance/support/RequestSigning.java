package io.github.wechatpaypartner.conformance.support;

import io.github.wechatpaypartner.sandbox.SandboxCredentials;
import io.github.wechatpaypartner.signing.CryptoProvider;
import io.github.wechatpaypartner.signing.keys.MerchantCredentials;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import io.github.wechatpaypartner.signing.sign.RequestSigner;
import io.github.wechatpaypartner.signing.verify.HeaderLookup;
import io.github.wechatpaypartner.signing.verify.SignatureVerifier;
import io.github.wechatpaypartner.signing.verify.VerificationFailure;
import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Raw requests signed, and raw answers checked, with the signing module, under a sandbox's
 * credentials: a key, a time and a nonce of the test's choosing make the forged, stale and
 * replayed requests the sandbox must refuse.
 */
public final class RequestSigning {
  private RequestSigning() {
  }

  /** {@code Authorization} with the merchant's own key, now. */
  public static String authorization(SandboxCredentials c, String method, String canonicalUrl, byte[] body) {
    return authorization(c, c.merchantPrivateKey().orElseThrow(), method, canonicalUrl, body, Instant.now(), null);
  }

  /** {@code Authorization} signed with {@code key} at {@code at}, with {@code nonce} (null: a random one). */
  public static String authorization(SandboxCredentials c, PrivateKey key, String method, String canonicalUrl,
      byte[] body, Instant at, String nonce) {
    RequestSigner.Builder signer = RequestSigner.builder(MerchantCredentials.of(c.mchid(), c.merchantSerial(), key),
        c.wechatpayPublicKeyId()).clock(Clock.fixed(at, ZoneOffset.UTC));
    if (nonce != null) {
      signer.nonceSource(() -> nonce);
    }
    return signer.build().authorization(method, canonicalUrl, body);
  }

  /** What is wrong with the answer's signature for a client trusting the sandbox's key; empty when it verifies. */
  public static Optional<VerificationFailure> answerProblem(SandboxCredentials c, HttpResponse<byte[]> answer) {
    WechatPayKeySet trusted = WechatPayKeySet.builder()
        .publicKey(c.wechatpayPublicKeyId(), c.wechatpayKeys().getPublic()).build();
    return new SignatureVerifier(trusted, CryptoProvider.jdk(), Clock.systemUTC())
        .check(HeaderLookup.of(answer.headers()), answer.body());
  }
}
