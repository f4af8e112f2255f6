package io.github.wechatpaypartner.testing;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.testkit.FakeTime;
import io.github.wechatpaypartner.testkit.FakeWechatPay;
import java.net.URI;

/** Clients of a {@link FakeWechatPay}'s merchant, trusting its key, with waits recorded, never slept. */
public final class FakeClients {
  private FakeClients() {
  }

  /** On {@code hosts} (default: the spec's). */
  public static WechatPayClient.Builder builder(FakeWechatPay service, URI... hosts) {
    WechatPayClient.Builder b = WechatPayClient.builder()
        .mchid(FakeWechatPay.KEYS.mchid())
        .merchantSerial(FakeWechatPay.KEYS.merchantSerial())
        .privateKey(FakeWechatPay.KEYS.merchantKeys().getPrivate())
        .wechatpayPublicKey(FakeWechatPay.KEYS.wechatpayPublicKeyId(),
            FakeWechatPay.KEYS.wechatpayKeys().getPublic())
        .transport(service)
        .timeSource(new FakeTime());
    return hosts.length == 0 ? b : b.hosts(hosts);
  }
}
