package io.github.wechatpaypartner.client.runtime;

import java.io.IOException;
import java.util.Objects;

/**
 * A step around the call or around each attempt, in the spirit of OkHttp's application and
 * network interceptors: it sees the request, may change it (add a header), passes it on with
 * {@link Chain#proceed} exactly once, and sees what came back.
 *
 * <p>Where it runs (see {@link CallPipeline}):
 *
 * <ul>
 *   <li>a <b>per-call</b> interceptor runs once around all attempts: {@code proceed} returns the
 *       answer the call ended with (after retries), or throws the last I/O failure;
 *   <li>a <b>per-attempt</b> interceptor runs around each attempt, outside the client's own request
 *       signing and answer verification, which it can neither remove nor reorder: headers it sets
 *       cannot replace {@code Authorization} or {@code Wechatpay-Serial}.
 * </ul>
 *
 * <p>Every answer comes back from {@code proceed} as an answer, error statuses included (a 429 is
 * an {@link IncomingResponse} with status 429, and its {@link IncomingResponse#verdict()} says
 * whether it verified); an I/O failure comes as the {@link IOException}. The call's exception is
 * built after the chain, once. Calling {@code proceed} a second time in one step fails.
 *
 * <p>Interceptors are shared by every call of a client and must be thread-safe. Per-call state
 * belongs in {@link CallContext#put}.
 */
@FunctionalInterface
public interface Interceptor {

  IncomingResponse intercept(Chain chain) throws IOException, InterruptedException;

  /** The request and the rest of the steps, as one interceptor sees them. */
  interface Chain {
    /** The request as the previous steps left it. */
    OutgoingRequest request();

    /** The call (and attempt) this request belongs to. */
    CallContext context();

    /**
     * Runs the remaining steps with {@code request} and returns their answer.
     *
     * @throws IllegalStateException when this step already called it
     */
    IncomingResponse proceed(OutgoingRequest request) throws IOException, InterruptedException;
  }

  /** An interceptor that sets one header on every request. */
  static Interceptor header(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    return chain -> chain.proceed(chain.request().withHeader(name, value));
  }
}
