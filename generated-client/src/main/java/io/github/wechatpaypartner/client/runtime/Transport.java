package io.github.wechatpaypartner.client.runtime;

import java.io.IOException;
import java.time.Duration;

/**
 * Moves one request to its host and reads the whole answer: one HTTP round trip and nothing else
 * (no retries, no signing, no verification: those are steps of the client around it). The
 * default is {@link JdkHttpTransport}; tests and special networks may supply another.
 *
 * <p>Failures are reported as the JDK's HTTP client reports them, so the client can tell an
 * unreachable host ({@link java.net.ConnectException}, {@link
 * java.net.http.HttpConnectTimeoutException}, {@link java.net.UnknownHostException}) from a
 * timeout after sending ({@link java.net.http.HttpTimeoutException}) from anything else.
 */
@FunctionalInterface
public interface Transport {
  /**
   * @param timeout the longest wait for the answer's headers after sending, or {@code null} for none
   */
  IncomingResponse send(OutgoingRequest request, Duration timeout) throws IOException, InterruptedException;
}
