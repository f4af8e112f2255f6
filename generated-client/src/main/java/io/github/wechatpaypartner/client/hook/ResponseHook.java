package io.github.wechatpaypartner.client.hook;

/**
 * Called with every answer (2xx and errors alike) before its body is deserialized. Throwing
 * rejects the answer: the exception reaches the caller and the body is never deserialized.
 */
@FunctionalInterface
public interface ResponseHook {
  void onResponse(IncomingResponse response);

  /** A hook that accepts everything. */
  ResponseHook NONE = response -> { };
}
