package io.github.wechatpaypartner.conformance.support;

import io.github.wechatpaypartner.client.ApiClient;
import io.github.wechatpaypartner.client.hook.RequestHook;
import io.github.wechatpaypartner.sandbox.Fault;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SandboxCredentials;
import io.github.wechatpaypartner.signing.keys.MerchantCredentials;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import io.github.wechatpaypartner.signing.sign.RequestSigner;
import io.github.wechatpaypartner.signing.sign.SigningRequestHook;
import io.github.wechatpaypartner.signing.verify.ResponseVerifier;
import java.security.PrivateKey;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The generated client wired as a merchant would wire it, against the sandbox: the signing
 * module's request hook (the sandbox's generated merchant key) and its response verifier (trusting
 * the sandbox's WeChat Pay public key), plus a {@value Fault#HEADER} header a test may set to pick
 * a fault, e.g. one of the spec's error examples (the signature does not cover headers).
 */
public final class ClientHarness {
  public final Sandbox sandbox;
  public final SandboxCredentials credentials;
  public final ApiClient client;
  private final AtomicReference<Fault> fault = new AtomicReference<>();

  private ClientHarness(Sandbox sandbox) {
    this.sandbox = sandbox;
    this.credentials = sandbox.credentials();
    this.client = newClient(credentials.merchantPrivateKey().orElseThrow());
  }

  /** A client aimed at {@code sandbox}. */
  public static ClientHarness on(Sandbox sandbox) {
    return new ClientHarness(sandbox);
  }

  /**
   * A client signing with {@code merchantPrivateKey} under the sandbox's mchid and serial (pass
   * another key to forge a bad signature).
   */
  public ApiClient newClient(PrivateKey merchantPrivateKey) {
    WechatPayKeySet trusted = WechatPayKeySet.builder()
        .publicKey(credentials.wechatpayPublicKeyId(), credentials.wechatpayKeys().getPublic())
        .build();
    RequestSigner signer = RequestSigner.builder(
        MerchantCredentials.of(credentials.mchid(), credentials.merchantSerial(), merchantPrivateKey), trusted)
        .build();
    RequestHook signing = new SigningRequestHook(signer);
    RequestHook withFault = request -> {
      Map<String, String> headers = new HashMap<>(signing.headersFor(request));
      Fault value = fault.get();
      if (value != null) {
        headers.put(Fault.HEADER, value.toString());
      }
      return headers;
    };
    return new ApiClient(sandbox.uri().toString())
        .setRequestHook(withFault)
        .setResponseHook(ResponseVerifier.of(trusted));
  }

  /** The fault every following request asks for; null for none. */
  public void fault(Fault value) {
    fault.set(value);
  }
}
