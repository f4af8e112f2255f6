package io.github.wechatpaypartner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wechatpaypartner.exception.Attempt;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The two pure decisions of the retry loop: how long a Retry-After asks for, and what an I/O failure means. */
class CallExecutionTest {

  @Test
  void retryAfterIsSecondsOrAnHttpDate() {
    Instant now = Instant.parse("2026-01-15T08:00:00Z");
    assertEquals(Optional.of(Duration.ofSeconds(120)), CallExecution.retryAfter(" 120 ", now));
    assertEquals(Optional.of(Duration.ofSeconds(30)), CallExecution.retryAfter("Thu, 15 Jan 2026 08:00:30 GMT", now));
    assertEquals(Optional.of(Duration.ZERO), CallExecution.retryAfter("Thu, 15 Jan 2026 07:00:00 GMT", now));
    assertEquals(Optional.of(Duration.ofSeconds(Long.MAX_VALUE)), CallExecution.retryAfter("99999999999999999999999", now));
    assertEquals(Optional.empty(), CallExecution.retryAfter("soon", now));
    assertEquals(Optional.empty(), CallExecution.retryAfter("-5", now));
    assertEquals(Optional.empty(), CallExecution.retryAfter(null, now));
  }

  @Test
  void ioFailuresAreUnreachableTimedOutOrFailed() {
    assertEquals(Attempt.Outcome.UNREACHABLE, CallExecution.classify(new ConnectException()));
    assertEquals(Attempt.Outcome.UNREACHABLE, CallExecution.classify(new HttpConnectTimeoutException("t")));
    assertEquals(Attempt.Outcome.UNREACHABLE, CallExecution.classify(new UnknownHostException()));
    assertEquals(Attempt.Outcome.TIMED_OUT, CallExecution.classify(new HttpTimeoutException("t")));
    assertEquals(Attempt.Outcome.FAILED, CallExecution.classify(new javax.net.ssl.SSLHandshakeException("t")));
    assertEquals(Attempt.Outcome.FAILED, CallExecution.classify(new IOException("reset")));
  }
}
