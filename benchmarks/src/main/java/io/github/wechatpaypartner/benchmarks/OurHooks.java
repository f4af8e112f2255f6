package io.github.wechatpaypartner.benchmarks;

import io.github.wechatpaypartner.client.hook.RequestHook;
import io.github.wechatpaypartner.client.hook.ResponseHook;
import io.github.wechatpaypartner.signing.CryptoProvider;
import io.github.wechatpaypartner.signing.keys.MerchantCredentials;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import io.github.wechatpaypartner.signing.sign.RequestSigner;
import io.github.wechatpaypartner.signing.sign.SigningRequestHook;
import io.github.wechatpaypartner.signing.verify.ResponseVerifier;
import java.security.Provider;
import java.time.Clock;

/** Our signing module's two hooks, configured with the test keys and an explicit provider. */
public final class OurHooks {
  public final RequestHook signer;
  public final ResponseHook verifier;

  private OurHooks(RequestHook signer, ResponseHook verifier) {
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
    RequestHook signer = new SigningRequestHook(
        RequestSigner.builder(merchant, trusted).provider(crypto).build());
    ResponseHook verifier = ResponseVerifier.of(trusted, crypto, Clock.systemUTC());
    return new OurHooks(signer, verifier);
  }
}
