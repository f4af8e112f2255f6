package io.github.wechatpaypartner.conformance.support;

import io.github.wechatpaypartner.client.ApiClient;
import io.github.wechatpaypartner.client.hook.RequestHook;
import io.github.wechatpaypartner.signing.keys.MerchantCredentials;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import io.github.wechatpaypartner.signing.sign.RequestSigner;
import io.github.wechatpaypartner.signing.sign.SigningRequestHook;
import io.github.wechatpaypartner.signing.verify.ResponseVerifier;
import java.net.URI;
import java.security.PrivateKey;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The generated client wired as a merchant would wire it, against the simulator: the signing
 * module's request hook (merchant key generated at test time) and its response verifier (trusting
 * the simulator's WeChat Pay test public key), plus a {@code Prefer} header a test may set to pick
 * Prism's answer (the signature does not cover headers, so adding one is harmless).
 */
public final class ClientHarness implements AutoCloseable {
  public final TestCredentials credentials;
  public final ServiceSimulator simulator;
  public final ApiClient client;
  private final AtomicReference<String> prefer = new AtomicReference<>();

  private ClientHarness(URI prism) {
    this.credentials = TestCredentials.generate();
    this.simulator = ServiceSimulator.start(prism, credentials);
    this.client = newClient(credentials.merchantKeys.getPrivate());
  }

  /** Starts a simulator in front of the Prism at {@code prism} and a client aimed at it. */
  public static ClientHarness start(URI prism) {
    return new ClientHarness(prism);
  }

  /**
   * A client signing with {@code merchantPrivateKey} under the harness's mchid and serial (pass
   * another key to forge a bad signature).
   */
  public ApiClient newClient(PrivateKey merchantPrivateKey) {
    WechatPayKeySet trusted = WechatPayKeySet.builder()
        .publicKey(credentials.wechatpayPublicKeyId, credentials.wechatpayKeys.getPublic())
        .build();
    RequestSigner signer = RequestSigner.builder(
        MerchantCredentials.of(credentials.mchid, credentials.merchantSerialNo, merchantPrivateKey), trusted)
        .build();
    RequestHook signing = new SigningRequestHook(signer);
    RequestHook withPrefer = request -> {
      Map<String, String> headers = new HashMap<>(signing.headersFor(request));
      String value = prefer.get();
      if (value != null) {
        headers.put("Prefer", value);
      }
      return headers;
    };
    return new ApiClient(simulator.baseUri().toString())
        .setRequestHook(withPrefer)
        .setResponseHook(ResponseVerifier.of(trusted));
  }

  /** {@code Prefer} value for the next calls (e.g. {@code code=400, example=PARAM_ERROR}); null for none. */
  public void prefer(String value) {
    prefer.set(value);
  }

  @Override
  public void close() {
    simulator.close();
  }
}
