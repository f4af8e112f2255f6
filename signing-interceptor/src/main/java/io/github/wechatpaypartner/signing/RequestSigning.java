package io.github.wechatpaypartner.signing;

import io.github.wechatpaypartner.client.runtime.IncomingResponse;
import io.github.wechatpaypartner.client.runtime.Interceptor;
import io.github.wechatpaypartner.client.runtime.OutgoingRequest;
import io.github.wechatpaypartner.signing.sign.RequestSigner;
import java.io.IOException;
import java.util.Map;

/**
 * The pipeline's request-signing step: {@code Authorization} over the attempt's method, path,
 * query and exact body bytes (new timestamp and nonce per attempt), and {@code Wechatpay-Serial}.
 * The pipeline runs it after every user interceptor, so nothing they set can replace either header.
 */
public final class RequestSigning implements Interceptor {
  private final RequestSigner signer;

  public RequestSigning(RequestSigner signer) {
    this.signer = java.util.Objects.requireNonNull(signer, "signer");
  }

  @Override
  public IncomingResponse intercept(Chain chain) throws IOException, InterruptedException {
    OutgoingRequest request = chain.request();
    Map<String, String> headers = signer.headers(request.method(),
        RequestSigner.canonicalUrl(request.uri()), request.body());
    return chain.proceed(request.withHeaders(headers));
  }

  @Override
  public String toString() {
    return "RequestSigning[" + signer + "]";
  }
}
