package io.github.wechatpaypartner.client.runtime;

import java.io.IOException;
import java.time.Duration;

/**
 * Moves one request to its host and reads the whole answer: one HTTP round trip and nothing else
 * (no retries, no signing, no verification, no redirects: those are steps of the client around
 * it, and a redirect is an answer like any other). The default is {@link JdkHttpTransport}; tests
 * and special networks may supply another.
 *
 * <p>Failures are reported as the JDK's HTTP client reports them, so the client can tell an
 * unreachable host ({@link java.net.ConnectException}, {@link
 * java.net.http.HttpConnectTimeoutException}, {@link java.net.UnknownHostException}) from a
 * timeout after sending ({@link java.net.http.HttpTimeoutException}) from anything else.
 */
@FunctionalInterface
public interface Transport {
  /**
   * @param timeout the longest the whole answer may take, from sending to the body's last byte;
   *     past it the exchange is abandoned (connection closed) with an {@link
   *     java.net.http.HttpTimeoutException}
   * @param maxAnswerBytes the most body bytes to read; a longer body is abandoned as it arrives,
   *     never buffered whole: a 2xx fails with an {@link AnswerTooLargeException}, a non-2xx is
   *     answered with its first {@code maxAnswerBytes} bytes
   */
  IncomingResponse send(OutgoingRequest request, Duration timeout, long maxAnswerBytes)
      throws IOException, InterruptedException;
}
