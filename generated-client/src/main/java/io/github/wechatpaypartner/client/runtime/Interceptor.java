package io.github.wechatpaypartner.client.runtime;

import java.io.IOException;

/**
 * A step of every attempt, in the spirit of OkHttp's interceptors: it sees the attempt's request,
 * may change it (add a header), passes it on with {@link Chain#proceed}, and sees what came back.
 *
 * <p>The client runs, in order: the interceptors given to the builder (in the order given), then
 * its own request signing, then its own classification and verification of the answer, then the
 * {@link Transport}. The last two are always there: an interceptor cannot remove them, and headers
 * it sets cannot replace {@code Authorization} or {@code Wechatpay-Serial}. A non-2xx answer
 * reaches an interceptor as an exception from {@code proceed} ({@code ServiceException},
 * {@code GatewayException}), a failed verification as {@code ResponseVerificationException}.
 *
 * <p>Interceptors are shared by every call of a client and must be thread-safe. Per-call state
 * belongs in {@link CallContext#attributes()}.
 */
@FunctionalInterface
public interface Interceptor {

  IncomingResponse intercept(Chain chain) throws IOException, InterruptedException;

  /** An attempt in progress, as one interceptor sees it. */
  interface Chain {
    /** The request as the previous steps left it. */
    OutgoingRequest request();

    /** The call and attempt this request belongs to. */
    CallContext context();

    /** Runs the remaining steps with {@code request} and returns their answer. */
    IncomingResponse proceed(OutgoingRequest request) throws IOException, InterruptedException;
  }

  /** An interceptor that sets one header on every request. */
  static Interceptor header(String name, String value) {
    java.util.Objects.requireNonNull(name, "name");
    java.util.Objects.requireNonNull(value, "value");
    return chain -> chain.proceed(chain.request().withHeader(name, value));
  }
}
