package io.github.wechatpaypartner.client.hook;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one {@link OutgoingRequest} and returns the answer. The generated APIs call nothing
 * else for I/O, so decorators (retries, failover, rate limits) wrap an exchange rather than
 * patching generated code. Implementations must call the request hook on every attempt and the
 * response hook on every answer.
 */
public interface Exchange {
  IncomingResponse execute(OutgoingRequest request) throws IOException, InterruptedException;

  CompletableFuture<IncomingResponse> executeAsync(OutgoingRequest request);
}
