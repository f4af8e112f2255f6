package io.github.wechatpaypartner.conformance.support;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.runtime.RetryPolicy;
import io.github.wechatpaypartner.sandbox.Fault;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SandboxCredentials;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client wired as a merchant wires it, against the sandbox: {@link WechatPayClient} with the
 * sandbox's generated merchant key, trusting its WeChat Pay public key, retrying with shortened
 * waits, plus a {@value Fault#HEADER} header a test may set to pick a fault, e.g. one of the spec's
 * error examples (the signature does not cover headers).
 */
public final class ClientHarness {
  public final Sandbox sandbox;
  public final SandboxCredentials credentials;
  private final WechatPayClient client;
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

  /** The client, sending the {@link #fault} header if one is set. */
  public WechatPayClient client() {
    Fault value = fault.get();
    return value == null ? client : client.withHeader(Fault.HEADER, value.toString());
  }

  /** A client signing with {@code merchantPrivateKey} under the sandbox's mchid and serial (another key forges). */
  public WechatPayClient newClient(PrivateKey merchantPrivateKey) {
    return WechatPayClient.builder()
        .mchid(credentials.mchid())
        .merchantSerial(credentials.merchantSerial())
        .privateKey(merchantPrivateKey)
        .wechatpayPublicKey(credentials.wechatpayPublicKeyId(), credentials.wechatpayKeys().getPublic())
        .hosts(sandbox.uri())
        .retryPolicy(RetryPolicy.builder().baseDelay(Duration.ofMillis(1)).maxDelay(Duration.ofMillis(5)).build())
        .build();
  }

  /** The fault every following request asks for; null for none. */
  public void fault(Fault value) {
    fault.set(value);
  }
}
