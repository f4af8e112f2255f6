package io.github.wechatpaypartner.conformance.support;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.runtime.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.security.PrivateKey;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client wired as a merchant wires it, against the simulator: {@link WechatPayClient} with a
 * merchant key generated at test time, trusting the simulator's WeChat Pay test public key, with
 * its retries (shortened waits), plus a {@code Prefer} header a test may set to pick Prism's answer
 * (the signature does not cover headers, so adding one is harmless).
 */
public final class ClientHarness implements AutoCloseable {
  public final TestCredentials credentials;
  public final ServiceSimulator simulator;
  private final WechatPayClient client;
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

  /** The client, sending the {@link #prefer} value if one is set. */
  public WechatPayClient client() {
    String value = prefer.get();
    return value == null ? client : client.withHeader("Prefer", value);
  }

  /**
   * A client signing with {@code merchantPrivateKey} under the harness's mchid and serial (pass
   * another key to forge a bad signature).
   */
  public WechatPayClient newClient(PrivateKey merchantPrivateKey) {
    return WechatPayClient.builder()
        .mchid(credentials.mchid)
        .merchantSerial(credentials.merchantSerialNo)
        .privateKey(merchantPrivateKey)
        .wechatpayPublicKey(credentials.wechatpayPublicKeyId, credentials.wechatpayKeys.getPublic())
        .hosts(simulator.baseUri())
        .retryPolicy(RetryPolicy.builder().baseDelay(Duration.ofMillis(1)).maxDelay(Duration.ofMillis(5)).build())
        .build();
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
