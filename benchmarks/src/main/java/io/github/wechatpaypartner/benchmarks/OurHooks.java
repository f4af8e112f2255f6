package io.github.wechatpaypartner.benchmarks;

import io.github.wechatpaypartner.signing.CryptoProvider;
import io.github.wechatpaypartner.signing.keys.MerchantCredentials;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import io.github.wechatpaypartner.signing.sign.RequestSigner;
import io.github.wechatpaypartner.signing.verify.SignatureVerifier;
import java.security.Provider;
import java.time.Clock;

/**
 * Our signing module's two steps of a call, as the client configures them: the request signer and
 * the answer's signature verifier, with the test keys and an explicit provider.
 */
public final class OurHooks {
  public final RequestSigner signer;
  public final SignatureVerifier verifier;

  private OurHooks(RequestSigner signer, SignatureVerifier verifier) {
    this.signer = signer;
    this.verifier = verifier;
  }

  public static OurHooks create(TestKeys keys, Provider provider) {
    CryptoProvider crypto = CryptoProvider.of(provider);
    MerchantCredentials merchant = MerchantCredentials.of(TestKeys.TEST_MCHID, keys.merchantSerial,
        keys.merchant.getPrivate());
    WechatPayKeySet trusted = WechatPayKeySet.builder()
        .publicKey(TestKeys.TEST_PUBLIC_KEY_ID, keys.wechatPay.getPublic())
        .build();
    RequestSigner signer = RequestSigner.builder(merchant, trusted).provider(crypto).build();
    SignatureVerifier verifier = new SignatureVerifier(trusted, crypto, Clock.systemUTC());
    return new OurHooks(signer, verifier);
  }
}
