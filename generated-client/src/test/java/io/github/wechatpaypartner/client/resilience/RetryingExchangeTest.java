package io.github.wechatpaypartner.client.resilience;

import static io.github.wechatpaypartner.client.resilience.ScriptedExchange.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.client.hook.IncomingResponse;
import io.github.wechatpaypartner.client.hook.OutgoingRequest;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Decisions of the retrying exchange for failures a loopback socket cannot produce on demand. */
class RetryingExchangeTest {

  private static final String PATH_AND_QUERY =
      "/v3/marketing/partner/product-coupon/product-coupons/PC1/stocks/S1/update-budget?x=1";
  private final FakeTime time = new FakeTime();

  private static OutgoingRequest request(URI origin) {
    return new OutgoingRequest("updateStockBudget", "POST", origin.resolve(PATH_AND_QUERY), new byte[] {'{', '}'});
  }

  private RetryingExchange retrying(ScriptedExchange delegate, RetryPolicy policy) {
    return new RetryingExchange(delegate, policy, time, Jitter.NONE);
  }

  private static List<String> hostsSeen(ScriptedExchange delegate) {
    return delegate.seen().stream().map(r -> r.uri().getHost()).collect(Collectors.toList());
  }

  @Test
  void connectTimeoutFailsOverFromPrimaryToBackupKeepingPathAndQuery() throws Exception {
    ScriptedExchange delegate = new ScriptedExchange(
        new HttpConnectTimeoutException("test: connect timed out"), status(200));

    IncomingResponse response = retrying(delegate, RetryPolicy.defaults()).execute(request(RetryPolicy.PRIMARY_HOST));

    assertEquals(200, response.statusCode());
    assertEquals(URI.create("https://api2.mch.weixin.qq.com" + PATH_AND_QUERY), delegate.seen().get(1).uri());
    assertSame(delegate.seen().get(0).body(), delegate.seen().get(1).body());
    assertEquals(Attempt.Wait.FAILOVER, AttemptHistory.of(response).orElseThrow().last().waitReason());
    assertTrue(time.waits().isEmpty(), "a host not tried yet is used at once");
  }

  @Test
  void requestTimeoutIsRetriedOnTheSameHost() throws Exception {
    ScriptedExchange delegate = new ScriptedExchange(new HttpTimeoutException("test: request timed out"), status(200));

    IncomingResponse response = retrying(delegate, RetryPolicy.defaults()).execute(request(RetryPolicy.PRIMARY_HOST));

    assertEquals(200, response.statusCode());
    assertEquals(List.of("api.mch.weixin.qq.com", "api.mch.weixin.qq.com"), hostsSeen(delegate));
    assertEquals(List.of(RetryPolicy.defaults().baseDelay()), time.waits());
    assertEquals(Attempt.Outcome.TIMED_OUT, AttemptHistory.of(response).orElseThrow().attempts().get(0).outcome());
  }

  @Test
  void bothHostsUnreachableWrapsRoundAndListsEveryAttempt() {
    ScriptedExchange delegate = new ScriptedExchange(new ConnectException("test: refused 1"),
        new UnknownHostException("test: no such host"), new ConnectException("test: refused 3"));

    RetriesExhaustedException e = assertThrows(RetriesExhaustedException.class,
        () -> retrying(delegate, RetryPolicy.defaults()).execute(request(RetryPolicy.PRIMARY_HOST)));

    assertEquals(List.of("api.mch.weixin.qq.com", "api2.mch.weixin.qq.com", "api.mch.weixin.qq.com"),
        hostsSeen(delegate));
    // Failover to the untried backup is immediate; back on the primary it backs off.
    assertEquals(List.of(RetryPolicy.defaults().backoffCeiling(2)), time.waits());
    List<Attempt> attempts = e.history().attempts();
    assertEquals(3, attempts.size());
    assertEquals(Attempt.Wait.FAILOVER, attempts.get(1).waitReason());
    assertEquals(Attempt.Wait.BACKOFF, attempts.get(2).waitReason());
    assertTrue(attempts.stream().allMatch(a -> a.outcome() == Attempt.Outcome.UNREACHABLE));
    assertEquals("test: refused 3", e.getCause().getMessage());
    assertEquals(2, e.getSuppressed().length);
    assertTrue(e.getMessage().contains("#2 api2.mch.weixin.qq.com after waiting 0 ms (failover): host unreachable"
        + " (java.net.UnknownHostException: test: no such host)"), e.getMessage());
  }

  @Test
  void requestToAHostOutsideTheListIsNeverSentToTheFailoverHosts() throws Exception {
    ScriptedExchange delegate = new ScriptedExchange(new ConnectException("test: refused"), status(200));

    retrying(delegate, RetryPolicy.defaults()).execute(request(URI.create("https://sandbox.example.test:8443")));

    assertEquals(List.of("sandbox.example.test", "sandbox.example.test"), hostsSeen(delegate));
  }

  @Test
  void otherIoFailureIsNotRetried() {
    ScriptedExchange delegate = new ScriptedExchange(new IOException("test: connection reset"), status(200));

    RetriesExhaustedException e = assertThrows(RetriesExhaustedException.class,
        () -> retrying(delegate, RetryPolicy.defaults()).execute(request(RetryPolicy.PRIMARY_HOST)));

    assertEquals(1, delegate.seen().size());
    assertEquals(Attempt.Outcome.FAILED, e.history().last().outcome());
    assertTrue(e.history().stopReason().startsWith("not retried"), e.history().stopReason());
  }

  @Test
  void runtimeExceptionFromTheWrappedExchangeIsRethrownAtOnce() {
    IllegalStateException signingFailed = new IllegalStateException("test: no private key");
    ScriptedExchange delegate = new ScriptedExchange(signingFailed, status(200));

    assertSame(signingFailed, assertThrows(IllegalStateException.class,
        () -> retrying(delegate, RetryPolicy.defaults()).execute(request(RetryPolicy.PRIMARY_HOST))));
    assertEquals(1, delegate.seen().size());
  }

  @Test
  void interruptedExchangeIsNotRetriedAndTheFlagIsSet() {
    assertInterruptStopsAfterOneAttempt(new ScriptedExchange(new InterruptedException("test"), status(200)));
  }

  @Test
  void interruptDuringBackoffStopsTheCallAndTheFlagIsSet() {
    time.interruptNextSleep();
    assertInterruptStopsAfterOneAttempt(new ScriptedExchange(status(500), status(200)));
  }

  private void assertInterruptStopsAfterOneAttempt(ScriptedExchange delegate) {
    try {
      assertThrows(InterruptedException.class,
          () -> retrying(delegate, RetryPolicy.defaults()).execute(request(RetryPolicy.PRIMARY_HOST)));
      assertTrue(Thread.currentThread().isInterrupted());
      assertEquals(1, delegate.seen().size());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void retryAfterBeyondTheTimeBudgetReturnsTheAnswerWithoutWaiting() throws Exception {
    ScriptedExchange delegate = new ScriptedExchange(status(429, "Retry-After", "60"), status(200));

    IncomingResponse response = retrying(delegate, RetryPolicy.defaults()).execute(request(RetryPolicy.PRIMARY_HOST));

    assertEquals(429, response.statusCode());
    assertEquals(1, delegate.seen().size());
    assertTrue(time.waits().isEmpty());
    String reason = AttemptHistory.of(response).orElseThrow().stopReason();
    assertTrue(reason.contains("waiting 60000 ms (Retry-After) would pass maxTotalTime (30000 ms"), reason);
  }

  @Test
  void gatewayErrorsAreNotRetriedByDefaultButCanBe() throws Exception {
    ScriptedExchange byDefault = new ScriptedExchange(status(503), status(200));
    assertEquals(503, retrying(byDefault, RetryPolicy.defaults()).execute(request(RetryPolicy.PRIMARY_HOST)).statusCode());

    RetryPolicy withGateways = RetryPolicy.defaults().toBuilder().retryableStatuses(429, 500, 502, 503, 504).build();
    ScriptedExchange configured = new ScriptedExchange(status(503), status(200));
    assertEquals(200, retrying(configured, withGateways).execute(request(RetryPolicy.PRIMARY_HOST)).statusCode());
  }

  @Test
  void asyncFailsOverAndRetriesLikeSync() {
    ScriptedExchange delegate = new ScriptedExchange(new CompletionException(new ConnectException("test: refused")),
        status(500), status(200));

    IncomingResponse response = retrying(delegate, RetryPolicy.defaults())
        .executeAsync(request(RetryPolicy.PRIMARY_HOST)).join();

    assertEquals(200, response.statusCode());
    assertEquals(List.of("api.mch.weixin.qq.com", "api2.mch.weixin.qq.com", "api2.mch.weixin.qq.com"),
        hostsSeen(delegate));
    // Zero wait for the failover, then the second backoff ceiling, both via the delayed executor.
    assertEquals(List.of(Duration.ZERO, RetryPolicy.defaults().backoffCeiling(2)), time.waits());
  }

  @Test
  void asyncIoFailureEndsInRetriesExhausted() {
    ScriptedExchange delegate = new ScriptedExchange(new HttpTimeoutException("test: timed out"),
        new HttpTimeoutException("test: timed out"), new HttpTimeoutException("test: timed out"));

    CompletionException e = assertThrows(CompletionException.class,
        () -> retrying(delegate, RetryPolicy.defaults()).executeAsync(request(RetryPolicy.PRIMARY_HOST)).join());

    RetriesExhaustedException cause = assertInstanceOf(RetriesExhaustedException.class, e.getCause());
    assertEquals(3, cause.history().attempts().size());
  }

  @Test
  void cancellingTheAsyncCallCancelsTheAttemptInFlight() {
    CompletableFuture<IncomingResponse> never = new CompletableFuture<>();
    ScriptedExchange delegate = new ScriptedExchange(never);

    CompletableFuture<IncomingResponse> call =
        retrying(delegate, RetryPolicy.defaults()).executeAsync(request(RetryPolicy.PRIMARY_HOST));
    call.cancel(true);

    assertTrue(never.isCancelled());
    assertEquals(1, delegate.seen().size());
  }

  @Test
  void retryAfterParsing() {
    Instant now = Instant.parse("2026-01-15T08:00:00Z");
    assertEquals(Optional.of(Duration.ofSeconds(120)), RetryingExchange.retryAfter(headers(" 120 "), now));
    assertEquals(Optional.of(Duration.ofSeconds(30)),
        RetryingExchange.retryAfter(headers("Thu, 15 Jan 2026 08:00:30 GMT"), now));
    assertEquals(Optional.of(Duration.ZERO), RetryingExchange.retryAfter(headers("Thu, 15 Jan 2026 07:00:00 GMT"), now));
    assertEquals(Optional.of(Duration.ofSeconds(Long.MAX_VALUE)),
        RetryingExchange.retryAfter(headers("99999999999999999999999"), now));
    assertEquals(Optional.empty(), RetryingExchange.retryAfter(headers("soon"), now));
    assertEquals(Optional.empty(), RetryingExchange.retryAfter(headers("-5"), now));
    assertEquals(Optional.empty(),
        RetryingExchange.retryAfter(HttpHeaders.of(Map.of(), (k, v) -> true), now));
  }

  @Test
  void classification() {
    assertEquals(Attempt.Outcome.UNREACHABLE, RetryingExchange.classify(new ConnectException()));
    assertEquals(Attempt.Outcome.UNREACHABLE, RetryingExchange.classify(new HttpConnectTimeoutException("t")));
    assertEquals(Attempt.Outcome.UNREACHABLE, RetryingExchange.classify(new UnknownHostException()));
    assertEquals(Attempt.Outcome.TIMED_OUT, RetryingExchange.classify(new HttpTimeoutException("t")));
    assertEquals(Attempt.Outcome.FAILED, RetryingExchange.classify(new javax.net.ssl.SSLHandshakeException("t")));
    assertFalse(RetryingExchange.classify(new IOException()) != Attempt.Outcome.FAILED);
  }

  private static HttpHeaders headers(String retryAfter) {
    return HttpHeaders.of(Map.of("Retry-After", List.of(retryAfter)), (k, v) -> true);
  }
}
