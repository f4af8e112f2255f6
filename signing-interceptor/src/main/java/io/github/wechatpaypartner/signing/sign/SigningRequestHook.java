package io.github.wechatpaypartner.signing.sign;

import io.github.wechatpaypartner.client.hook.OutgoingRequest;
import io.github.wechatpaypartner.client.hook.RequestHook;
import java.util.Map;
import java.util.Objects;

/**
 * Plugs a {@link RequestSigner} into the generated client: signs each attempt's method, raw path,
 * raw query and exact body bytes, and adds {@code Authorization} and {@code Wechatpay-Serial}.
 */
public final class SigningRequestHook implements RequestHook {
  private final RequestSigner signer;

  public SigningRequestHook(RequestSigner signer) {
    this.signer = Objects.requireNonNull(signer, "signer");
  }

  @Override
  public Map<String, String> headersFor(OutgoingRequest request) {
    return signer.headers(request.method(), RequestSigner.canonicalUrl(request.uri()),
        request.body());
  }

  @Override
  public String toString() {
    return "SigningRequestHook[" + signer + "]";
  }
}
