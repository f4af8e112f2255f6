package io.github.wechatpaypartner;

import io.github.wechatpaypartner.client.runtime.ApiCall;
import io.github.wechatpaypartner.client.runtime.CallPipeline;
import io.github.wechatpaypartner.client.runtime.Interceptor;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What the generated APIs hand their calls to: core's {@link CallPipeline}, as only a
 * {@link WechatPayClient} builds it (with its request signing and answer verification). Its
 * constructor is package-private, so no generated API exists without them.
 */
public final class ClientRuntime {
  private final CallPipeline pipeline;

  ClientRuntime(CallPipeline pipeline) {
    this.pipeline = pipeline;
  }

  /**
   * Runs a call and returns its verified, deserialized answer.
   *
   * @throws io.github.wechatpaypartner.exception.WechatPayException (a subclass saying what
   *     failed) when the call fails
   */
  public <T> T execute(ApiCall<T> call) {
    return pipeline.execute(call);
  }

  /**
   * Runs a call on the client's executor. A request that breaks the spec fails the future at
   * once (nothing sent); cancelling the future interrupts the call, which then makes no further
   * attempt. The future fails with the same exceptions {@link #execute} throws (unwrapped).
   */
  public <T> CompletableFuture<T> executeAsync(Supplier<ApiCall<T>> call) {
    return pipeline.executeAsync(call);
  }

  /** The same runtime with one more per-attempt interceptor after the existing ones. */
  ClientRuntime withInterceptor(Interceptor interceptor) {
    return new ClientRuntime(new CallPipeline(pipeline.settings().toBuilder()
        .attemptInterceptor(interceptor).build()));
  }

  @Override
  public String toString() {
    return "ClientRuntime[" + pipeline.settings() + "]";
  }
}
