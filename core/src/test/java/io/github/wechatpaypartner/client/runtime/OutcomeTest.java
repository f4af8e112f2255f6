package io.github.wechatpaypartner.client.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The classification every retry decision starts from: answers by verdict and status, I/O failures by kind. */
class OutcomeTest {
  private static final Instant NOW = Instant.parse("2026-01-15T08:00:00Z");

  @Test
  void retryAfterIsSecondsOrAnHttpDate() {
    assertEquals(Optional.of(Duration.ofSeconds(120)), Outcome.retryAfter(" 120 ", NOW));
    assertEquals(Optional.of(Duration.ofSeconds(30)), Outcome.retryAfter("Thu, 15 Jan 2026 08:00:30 GMT", NOW));
    assertEquals(Optional.of(Duration.ZERO), Outcome.retryAfter("Thu, 15 Jan 2026 07:00:00 GMT", NOW));
    assertEquals(Optional.of(Duration.ofSeconds(Long.MAX_VALUE)), Outcome.retryAfter("99999999999999999999999", NOW));
    assertEquals(Optional.empty(), Outcome.retryAfter("soon", NOW));
    assertEquals(Optional.empty(), Outcome.retryAfter("-5", NOW));
    assertEquals(Optional.empty(), Outcome.of(answer(429, Verdict.VERIFIED, Map.of()), NOW).retryAfter());
    assertEquals(Optional.of(Duration.ofSeconds(2)),
        Outcome.of(answer(429, Verdict.VERIFIED, Map.of("Retry-After", "2")), NOW).retryAfter());
  }

  @Test
  void ioFailuresAreUnreachableTimedOutOrFailed() {
    assertEquals(Outcome.Kind.UNREACHABLE, Outcome.of(new ConnectException()).kind());
    assertEquals(Outcome.Kind.UNREACHABLE, Outcome.of(new HttpConnectTimeoutException("t")).kind());
    assertEquals(Outcome.Kind.UNREACHABLE, Outcome.of(new UnknownHostException()).kind());
    assertEquals(Outcome.Kind.TIMED_OUT, Outcome.of(new HttpTimeoutException("t")).kind());
    assertEquals(Outcome.Kind.FAILED, Outcome.of(new javax.net.ssl.SSLHandshakeException("t")).kind());
    assertEquals(Outcome.Kind.FAILED, Outcome.of(new IOException("reset")).kind());
    assertEquals(Outcome.Kind.FAILED, Outcome.of(new AnswerTooLargeException(200, 10)).kind());
  }

  @Test
  void answersAreClassifiedByVerdictThenStatus() {
    assertEquals(Outcome.Kind.SUCCESS, Outcome.of(answer(200, Verdict.VERIFIED, Map.of()), NOW).kind());
    assertEquals(Outcome.Kind.SUCCESS, Outcome.of(answer(204, Verdict.NOT_VERIFIED, Map.of()), NOW).kind());
    assertEquals(Outcome.Kind.SERVICE_ERROR, Outcome.of(answer(429, Verdict.VERIFIED, Map.of()), NOW).kind());
    assertEquals(Outcome.Kind.GATEWAY_ERROR, Outcome.of(answer(503, Verdict.UNSIGNED_ERROR, Map.of()), NOW).kind());
    assertEquals(Outcome.Kind.VERIFICATION_FAILED, Outcome.of(answer(200,
        Verdict.failed(io.github.wechatpaypartner.exception.VerificationCheck.BAD_SIGNATURE, "x"), Map.of()), NOW).kind());
    assertEquals(Outcome.Kind.VERIFICATION_FAILED, Outcome.of(answer(200, Verdict.UNCHECKED, Map.of()), NOW).kind(),
        "an answer that skipped verification is never a success");
  }

  private static IncomingResponse answer(int status, Verdict verdict, Map<String, String> headers) {
    OutgoingRequest request = new OutgoingRequest("op", "GET", URI.create("https://example.test/v3/x"), Map.of(), null);
    Map<String, List<String>> all = new java.util.HashMap<>();
    headers.forEach((k, v) -> all.put(k, List.of(v)));
    return new IncomingResponse(request, status, HttpHeaders.of(all, (k, v) -> true), new byte[0]).withVerdict(verdict);
  }
}
