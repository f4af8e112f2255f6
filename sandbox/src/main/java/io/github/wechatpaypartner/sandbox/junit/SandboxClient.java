package io.github.wechatpaypartner.sandbox.junit;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SandboxCredentials;
import java.nio.file.Path;

/**
 * The project's client aimed at a sandbox with full verification: the sandbox's files, its public
 * key id, its APIv3 key (so notifications parse) and its URI as the only host. The one place that
 * knows the client's builder, so a move of the entry point changes this file alone.
 */
public final class SandboxClient {
  private SandboxClient() {
  }

  /** A builder ready to {@code build()}; add retry policy, timeouts or headers before. */
  public static WechatPayClient.Builder builder(Sandbox sandbox) {
    SandboxCredentials c = sandbox.credentials();
    Path files = sandbox.clientFiles();
    WechatPayClient.Builder builder = WechatPayClient.builder()
        .mchid(c.mchid())
        .merchantCertificate(files.resolve(SandboxCredentials.MERCHANT_CERT_FILE))
        .wechatpayPublicKey(c.wechatpayPublicKeyId(), files.resolve(SandboxCredentials.WECHATPAY_PUBLIC_KEY_FILE))
        .apiV3Key(c.apiV3Key())
        .hosts(sandbox.uri());
    return builder.privateKey(c.merchantPrivateKey().orElseThrow(() -> new IllegalStateException(
        "this sandbox trusts a merchant certificate it has no private key for: build the client with your own key")));
  }
}
