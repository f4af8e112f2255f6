package io.github.wechatpaypartner.client.resilience;

import static io.github.wechatpaypartner.client.resilience.FaultServer.answer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.client.hook.Exchange;
import io.github.wechatpaypartner.client.hook.HttpExchange;
import io.github.wechatpaypartner.client.hook.IncomingResponse;
import io.github.wechatpaypartner.client.hook.OutgoingRequest;
import io.github.wechatpaypartner.client.hook.RequestHook;
import io.github.wechatpaypartner.client.hook.ResponseHook;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The retrying exchange against real HTTP on loopback servers that inject faults. */
class RetryingExchangeLoopbackTest {

  private static final String PATH = "/v3/marketing/partner/delivery-plan/delivery-plans";
  // A synthetic body: what matters is that every attempt carries the same out_request_no.
  private static final byte[] BODY =
      "{\"out_request_no\":\"resilience-test-0001\",\"brand_id\":\"test-brand\"}"
          .getBytes(StandardCharsets.UTF_8);
  private static final String OK = "{\"plan_id\":\"test-plan\"}";
  private static final String RATE_LIMITED =
      "{\"code\":\"RATELIMIT_EXCEEDED\",\"message\":\"test: too many requests\"}";
  private static final String SYSTEM_ERROR = "{\"code\":\"SYSTEM_ERROR\",\"message\":\"test: busy\"}";
  private static final Timeouts FAST = Timeouts.of(Duration.ofSeconds(2), Duration.ofSeconds(5));

  /** Adds a fresh nonce per attempt, as the signing hook does. */
  private static final RequestHook NONCE = r -> Map.of("X-Test-Nonce", UUID.randomUUID().toString());

  private final FakeTime time = new FakeTime();

  private static OutgoingRequest request(URI origin) {
    return new OutgoingRequest("createDeliveryPlan", "POST", origin.resolve(PATH), BODY);
  }

  /** The client's default exchange, with the timeouts wired as the lead wires them. */
  private static Exchange http(RequestHook requestHook, ResponseHook responseHook, Timeouts timeouts) {
    HttpClient client = timeouts.applyTo(HttpClient.newBuilder()).version(HttpClient.Version.HTTP_1_1).build();
    return new HttpExchange(client, requestHook, responseHook, timeouts.request(), "resilience-test");
  }

  private RetryingExchange retrying(Exchange http, RetryPolicy policy) {
    return new RetryingExchange(http, policy, time, Jitter.NONE);
  }

  private static RetryPolicy policyFor(FaultServer... servers) {
    List<URI> hosts = new ArrayList<>();
    for (FaultServer s : servers) {
      hosts.add(s.origin());
    }
    return RetryPolicy.builder().hosts(hosts).build();
  }

  @Test
  void rateLimitedThenOkSucceedsOnSecondAttemptWithSameBodyAndNewNonce() throws Exception {
    try (FaultServer server = FaultServer.start(answer(429, RATE_LIMITED), answer(200, OK))) {
      Exchange exchange = retrying(http(NONCE, ResponseHook.NONE, FAST), policyFor(server));

      IncomingResponse response = exchange.execute(request(server.origin()));

      assertEquals(200, response.statusCode());
      List<FaultServer.Received> received = server.received();
      assertEquals(2, received.size());
      assertArrayEquals(BODY, received.get(0).body);
      assertArrayEquals(BODY, received.get(1).body);
      assertNotNull(received.get(0).header("X-Test-Nonce"));
      assertNotEquals(received.get(0).header("X-Test-Nonce"), received.get(1).header("X-Test-Nonce"));
      AttemptHistory history = AttemptHistory.of(response).orElseThrow();
      assertEquals(2, history.attempts().size());
      assertEquals(Attempt.Outcome.RETRYABLE_STATUS, history.attempts().get(0).outcome());
      assertEquals(429, history.attempts().get(0).statusCode().getAsInt());
      assertEquals("req-" + server.port() + "-1", history.attempts().get(0).requestId());
      assertEquals(Attempt.Outcome.ANSWERED, history.last().outcome());
      // Jitter.NONE: the wait is the first backoff ceiling, the policy's base delay.
      assertEquals(List.of(RetryPolicy.defaults().baseDelay()), time.waits());
    }
  }

  @Test
  void rateLimitedThenOkAsync() throws Exception {
    try (FaultServer server = FaultServer.start(answer(429, RATE_LIMITED), answer(200, OK))) {
      Exchange exchange = retrying(http(NONCE, ResponseHook.NONE, FAST), policyFor(server));

      IncomingResponse response = exchange.executeAsync(request(server.origin())).join();

      assertEquals(200, response.statusCode());
      List<FaultServer.Received> received = server.received();
      assertEquals(2, received.size());
      assertArrayEquals(received.get(0).body, received.get(1).body);
      assertNotEquals(received.get(0).header("X-Test-Nonce"), received.get(1).header("X-Test-Nonce"));
      assertEquals(2, AttemptHistory.of(response).orElseThrow().attempts().size());
      // The async path waited through the delayed executor, not a sleep.
      assertEquals(List.of(RetryPolicy.defaults().baseDelay()), time.waits());
    }
  }

  @Test
  void systemErrorTwiceThenOkSucceedsOnThirdAttempt() throws Exception {
    try (FaultServer server = FaultServer.start(
        answer(500, SYSTEM_ERROR), answer(500, SYSTEM_ERROR), answer(200, OK))) {
      Exchange exchange = retrying(http(NONCE, ResponseHook.NONE, FAST), policyFor(server));

      IncomingResponse response = exchange.execute(request(server.origin()));

      assertEquals(200, response.statusCode());
      assertEquals(3, server.received().size());
      AttemptHistory history = AttemptHistory.of(response).orElseThrow();
      assertEquals(3, history.attempts().size());
      RetryPolicy p = RetryPolicy.defaults();
      assertEquals(List.of(p.backoffCeiling(1), p.backoffCeiling(2)), time.waits());
      assertEquals(p.backoffCeiling(2), history.last().waited());
      assertEquals(Attempt.Wait.BACKOFF, history.last().waitReason());
    }
  }

  @Test
  void badRequestIsNotRetried() throws Exception {
    String paramError = "{\"code\":\"PARAM_ERROR\",\"message\":\"test: bad field\"}";
    try (FaultServer server = FaultServer.start(answer(400, paramError), answer(200, OK))) {
      Exchange exchange = retrying(http(NONCE, ResponseHook.NONE, FAST), policyFor(server));

      IncomingResponse response = exchange.execute(request(server.origin()));

      assertEquals(400, response.statusCode());
      assertEquals(1, server.received().size());
      AttemptHistory history = AttemptHistory.of(response).orElseThrow();
      assertEquals(1, history.attempts().size());
      assertEquals("answered HTTP 400", history.stopReason());
      assertTrue(time.waits().isEmpty());
    }
  }

  @Test
  void closedPrimaryFailsOverToBackup() throws Exception {
    int closed = FaultServer.closedPort();
    try (FaultServer backup = FaultServer.start(answer(200, OK))) {
      URI primary = URI.create("http://127.0.0.1:" + closed);
      RetryPolicy policy = RetryPolicy.builder().hosts(primary, backup.origin()).build();
      Exchange exchange = retrying(http(NONCE, ResponseHook.NONE, FAST), policy);

      IncomingResponse response = exchange.execute(
          new OutgoingRequest("createDeliveryPlan", "POST", primary.resolve(PATH + "?trace=keep"), BODY));

      assertEquals(200, response.statusCode());
      assertEquals(backup.origin().resolve(PATH + "?trace=keep"), response.request().uri());
      assertEquals(PATH + "?trace=keep", backup.received().get(0).pathAndQuery);
      AttemptHistory history = AttemptHistory.of(response).orElseThrow();
      Attempt first = history.attempts().get(0);
      Attempt second = history.attempts().get(1);
      assertEquals("127.0.0.1:" + closed, first.host());
      assertEquals(Attempt.Outcome.UNREACHABLE, first.outcome());
      assertTrue(first.error().contains(ConnectException.class.getName()), first.error());
      assertEquals("127.0.0.1:" + backup.port(), second.host());
      assertEquals(Attempt.Wait.FAILOVER, second.waitReason());
      assertEquals(Duration.ZERO, second.waited());
      String text = history.toString();
      assertTrue(text.contains("127.0.0.1:" + closed) && text.contains("127.0.0.1:" + backup.port()), text);
    }
  }

  @Test
  void closedPrimaryFailsOverToBackupAsync() throws Exception {
    int closed = FaultServer.closedPort();
    try (FaultServer backup = FaultServer.start(answer(200, OK))) {
      URI primary = URI.create("http://127.0.0.1:" + closed);
      RetryPolicy policy = RetryPolicy.builder().hosts(primary, backup.origin()).build();
      Exchange exchange = retrying(http(NONCE, ResponseHook.NONE, FAST), policy);

      IncomingResponse response = exchange.executeAsync(request(primary)).join();

      assertEquals(200, response.statusCode());
      assertEquals(1, backup.received().size());
      AttemptHistory history = AttemptHistory.of(response).orElseThrow();
      assertEquals(Attempt.Outcome.UNREACHABLE, history.attempts().get(0).outcome());
      assertEquals("127.0.0.1:" + backup.port(), history.last().host());
    }
  }

  @Test
  void hangingServerHitsRequestTimeoutAndTheErrorSaysSo() throws Exception {
    try (FaultServer server = FaultServer.start(FaultServer.hang(), FaultServer.hang())) {
      Timeouts shortRequest = Timeouts.of(Duration.ofSeconds(2), Duration.ofMillis(300));
      RetryPolicy policy = RetryPolicy.builder().hosts(server.origin()).maxAttempts(2).build();
      Exchange exchange = retrying(http(NONCE, ResponseHook.NONE, shortRequest), policy);

      RetriesExhaustedException e = assertThrows(RetriesExhaustedException.class,
          () -> exchange.execute(request(server.origin())));

      assertEquals(2, server.received().size());
      assertInstanceOf(HttpTimeoutException.class, e.getCause());
      assertEquals(2, e.history().attempts().size());
      for (Attempt a : e.history().attempts()) {
        assertEquals(Attempt.Outcome.TIMED_OUT, a.outcome());
        assertEquals("127.0.0.1:" + server.port(), a.host());
      }
      assertTrue(e.getMessage().contains("#1 127.0.0.1:" + server.port()), e.getMessage());
      assertTrue(e.getMessage().contains("#2 127.0.0.1:" + server.port()), e.getMessage());
      assertTrue(e.getMessage().contains("timed out (java.net.http.HttpTimeoutException"), e.getMessage());
      assertTrue(e.getMessage().contains("maxAttempts (2) reached"), e.getMessage());
    }
  }

  @Test
  void verificationFailureFromResponseHookIsNotRetried() throws Exception {
    IllegalStateException rejection = new IllegalStateException("test: signature does not verify");
    ResponseHook verifier = r -> {
      if (r.headers().firstValue("Wechatpay-Signature").isEmpty()) {
        throw rejection;
      }
    };
    try (FaultServer server = FaultServer.start(answer(500, SYSTEM_ERROR), answer(200, OK))) {
      Exchange exchange = retrying(http(NONCE, verifier, FAST), policyFor(server));

      IllegalStateException thrown = assertThrows(IllegalStateException.class,
          () -> exchange.execute(request(server.origin())));

      assertSame(rejection, thrown);
      assertEquals(1, server.received().size());
      assertTrue(time.waits().isEmpty());
    }
  }

  @Test
  void verificationFailureIsNotRetriedAsync() throws Exception {
    IllegalStateException rejection = new IllegalStateException("test: signature does not verify");
    ResponseHook verifier = r -> {
      throw rejection;
    };
    try (FaultServer server = FaultServer.start(answer(429, RATE_LIMITED), answer(200, OK))) {
      Exchange exchange = retrying(http(NONCE, verifier, FAST), policyFor(server));

      CompletionException thrown = assertThrows(CompletionException.class,
          () -> exchange.executeAsync(request(server.origin())).join());

      assertSame(rejection, thrown.getCause());
      assertEquals(1, server.received().size());
    }
  }

  @Test
  void retryAfterSecondsIsHonoured() throws Exception {
    try (FaultServer server = FaultServer.start(
        answer(429, RATE_LIMITED, "Retry-After", "2"), answer(200, OK))) {
      Exchange exchange = retrying(http(NONCE, ResponseHook.NONE, FAST), policyFor(server));

      IncomingResponse response = exchange.execute(request(server.origin()));

      assertEquals(200, response.statusCode());
      assertEquals(List.of(Duration.ofSeconds(2)), time.waits());
      assertEquals(Attempt.Wait.RETRY_AFTER, AttemptHistory.of(response).orElseThrow().last().waitReason());
    }
  }

  @Test
  void retryAfterHttpDateIsHonoured() throws Exception {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(time.now().plusSeconds(7).atZone(ZoneOffset.UTC));
    try (FaultServer server = FaultServer.start(
        answer(500, SYSTEM_ERROR, "Retry-After", date), answer(200, OK))) {
      Exchange exchange = retrying(http(NONCE, ResponseHook.NONE, FAST), policyFor(server));

      assertEquals(200, exchange.execute(request(server.origin())).statusCode());
      assertEquals(List.of(Duration.ofSeconds(7)), time.waits());
    }
  }

  @Test
  void exhaustedRetriesReturnTheLastAnswerAndListEveryAttempt() throws Exception {
    try (FaultServer server = FaultServer.start(
        answer(500, SYSTEM_ERROR), answer(429, RATE_LIMITED, "Retry-After", "1"), answer(500, SYSTEM_ERROR))) {
      Exchange exchange = retrying(http(NONCE, ResponseHook.NONE, FAST), policyFor(server));

      IncomingResponse response = exchange.execute(request(server.origin()));

      assertEquals(500, response.statusCode());
      assertEquals(3, server.received().size());
      AttemptHistory history = AttemptHistory.of(response).orElseThrow();
      assertEquals(3, history.attempts().size());
      assertEquals("HTTP 500 and maxAttempts (3) reached", history.stopReason());
      String text = history.toString();
      String host = "127.0.0.1:" + server.port();
      assertTrue(text.contains("#1 " + host + " after waiting 0 ms: HTTP 500, Request-ID req-" + server.port() + "-1"), text);
      assertTrue(text.contains("#2 " + host + " after waiting 500 ms (backoff): HTTP 429, Request-ID req-" + server.port() + "-2"), text);
      assertTrue(text.contains("#3 " + host + " after waiting 1000 ms (retry-after): HTTP 500, Request-ID req-" + server.port() + "-3"), text);
      assertTrue(text.startsWith("createDeliveryPlan POST " + PATH + ": 3 attempts"), text);
    }
  }

  @Test
  void logsEachAttemptAtDebugWithoutHeadersOrBody() throws Exception {
    String secret = "test-signature-" + UUID.randomUUID();
    RequestHook signing = r -> Map.of("Authorization", "WECHATPAY2-SHA256-RSA2048 signature=\"" + secret + "\"");
    Logger julLogger = Logger.getLogger("io.github.wechatpaypartner.client.resilience");
    List<LogRecord> records = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public synchronized void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Level previous = julLogger.getLevel();
    julLogger.setLevel(Level.ALL);
    julLogger.addHandler(capture);
    try (FaultServer server = FaultServer.start(answer(429, RATE_LIMITED), answer(200, OK))) {
      Exchange exchange = retrying(http(signing, ResponseHook.NONE, FAST), policyFor(server));

      exchange.execute(request(server.origin()));

      List<String> lines = new ArrayList<>();
      synchronized (capture) {
        for (LogRecord r : records) {
          lines.add(r.getMessage());
          assertEquals(Level.FINE, r.getLevel()); // System.Logger DEBUG maps to FINE
        }
      }
      String all = String.join("\n", lines);
      String host = "127.0.0.1:" + server.port();
      assertTrue(all.contains("createDeliveryPlan POST " + PATH + " attempt 1/3 to " + host
          + ": HTTP 429 in "), all);
      assertTrue(all.contains("Request-ID req-" + server.port() + "-1"), all);
      assertTrue(all.contains("attempt 2/3 to " + host + ": HTTP 200"), all);
      assertTrue(all.contains("retrying on " + host + " in 500 ms (backoff)"), all);
      assertFalse(all.contains(secret), all);
      assertFalse(all.contains("resilience-test-0001"), all);
      assertFalse(all.contains("Authorization"), all);
    } finally {
      julLogger.removeHandler(capture);
      julLogger.setLevel(previous);
    }
  }
}
