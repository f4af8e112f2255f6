package io.github.wechatpaypartner;

import io.github.wechatpaypartner.testing.FakeClients;
import static io.github.wechatpaypartner.testkit.FakeWechatPay.answer;
import static io.github.wechatpaypartner.testkit.FakeWechatPay.badlySigned;
import static io.github.wechatpaypartner.testkit.FakeWechatPay.error;
import static io.github.wechatpaypartner.testkit.FakeWechatPay.fail;
import static io.github.wechatpaypartner.testkit.FakeWechatPay.ok;
import static io.github.wechatpaypartner.testkit.FakeWechatPay.rateLimited;
import static io.github.wechatpaypartner.testkit.FakeWechatPay.stale;
import static io.github.wechatpaypartner.testkit.FakeWechatPay.tampered;
import static io.github.wechatpaypartner.testkit.FakeWechatPay.unsigned;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.client.model.AddStockBundleRequest;
import io.github.wechatpaypartner.client.model.AddStockBundleResponse;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanResponse;
import io.github.wechatpaypartner.client.model.UpdateStockBudgetRequest;
import io.github.wechatpaypartner.client.runtime.OutgoingRequest;
import io.github.wechatpaypartner.client.runtime.RetryPolicy;
import io.github.wechatpaypartner.exception.Attempt;
import io.github.wechatpaypartner.exception.GatewayException;
import io.github.wechatpaypartner.exception.ProbablyProcessedException;
import io.github.wechatpaypartner.exception.RequestValidationException;
import io.github.wechatpaypartner.exception.ResponseVerificationException;
import io.github.wechatpaypartner.exception.ServiceException;
import io.github.wechatpaypartner.exception.TransportException;
import io.github.wechatpaypartner.exception.VerificationCheck;
import io.github.wechatpaypartner.exception.WechatPayException;
import io.github.wechatpaypartner.testkit.FakeTime;
import io.github.wechatpaypartner.testkit.FakeWechatPay;
import io.github.wechatpaypartner.testing.SpecExamples;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The call path of {@link WechatPayClient} against an in-process WeChat Pay: every row of the
 * README's fault table, classification before verification, and the attempts each failure
 * carries. The fake checks every request's signature; waits are recorded, never slept.
 */
class CallPipelineTest {
  private static final URI PRIMARY = URI.create("https://api.mch.weixin.qq.com");
  private static final URI BACKUP = URI.create("https://api2.mch.weixin.qq.com");
  private static final String BUNDLE_OK = SpecExamples.answer("addStockBundle", 200);

  private final FakeWechatPay service = new FakeWechatPay();
  private final FakeTime time = new FakeTime();

  private WechatPayClient client(RetryPolicy policy) {
    return FakeClients.builder(service).timeSource(time).retryPolicy(policy).build();
  }

  private WechatPayClient client() {
    return client(RetryPolicy.defaults());
  }

  private static AddStockBundleResponse addStockBundle(WechatPayClient client) {
    return client.productCouponApi().addStockBundle(
        SpecExamples.pathParam("addStockBundle", "product_coupon_id"),
        SpecExamples.request("addStockBundle", AddStockBundleRequest.class));
  }

  private static <T extends Throwable> T failsWith(Class<T> type, Runnable call) {
    return assertThrows(type, call::run);
  }

  @Test
  void aVerifiedAnswerIsReadAsTheGeneratedModel() {
    service.then(ok(BUNDLE_OK));
    AddStockBundleResponse bundle = addStockBundle(client());
    assertNotNull(bundle.getStockBundleId(), "the 200 example has a stock_bundle");
    OutgoingRequest sent = service.requests().get(0);
    assertEquals("application/json", sent.header("Accept"));
    assertEquals("application/json", sent.header("Content-Type"));
    assertTrue(sent.header("User-Agent").startsWith("wechatpay-partner-java/"), sent.header("User-Agent"));
    assertEquals(FakeWechatPay.KEYS.wechatpayPublicKeyId(), sent.header("Wechatpay-Serial"));
    assertEquals(PRIMARY.getHost(), sent.uri().getHost(), "the spec's first server is tried first");
  }

  @Test
  void rateLimitedIsRetriedAfterRetryAfterWithTheSameBodyAndANewSignature() {
    service.then(rateLimited("2"), ok(BUNDLE_OK));
    addStockBundle(client());
    List<OutgoingRequest> sent = service.requests();
    assertEquals(2, sent.size());
    assertArrayEquals(sent.get(0).body(), sent.get(1).body(), "a retry resends the same bytes");
    assertNotEquals(sent.get(0).header("Authorization"), sent.get(1).header("Authorization"));
    assertEquals(List.of(Duration.ofSeconds(2)), time.waits());
  }

  @Test
  void rateLimitedToTheEndIsTheServiceErrorWithEveryAttempt() {
    service.then(rateLimited("0"), rateLimited("0"), rateLimited("0"));
    ServiceException e = failsWith(ServiceException.class, () -> addStockBundle(client()));
    assertEquals(429, e.statusCode());
    assertEquals("RATELIMIT_EXCEEDED", e.errorCode());
    assertEquals(3, e.attempts().size());
    assertTrue(e.getMessage().contains("3 attempts"), e.getMessage());
    assertEquals(Attempt.Outcome.RETRYABLE_STATUS, e.attempts().get(2).outcome());
  }

  @Test
  void systemErrorIsRetriedAfterABackoff() {
    service.then(error(500, "SYSTEM_ERROR"), error(500, "SYSTEM_ERROR"), ok(BUNDLE_OK));
    addStockBundle(client());
    assertEquals(3, service.requests().size());
    assertEquals(2, time.waits().size());
    assertTrue(time.waits().get(0).compareTo(Duration.ofMillis(500)) <= 0, "first backoff ceiling is 500 ms");
  }

  @Test
  void otherServiceErrorsAreNotRetriedAndCarryCodeMessageDetailAndRequestId() {
    service.then(answer(400, "{\"code\":\"PARAM_ERROR\",\"message\":\"bad brand\","
        + "\"detail\":{\"field\":\"brand_id\",\"value\":\"x\",\"issue\":\"invalid\",\"location\":\"body\"}}"));
    ServiceException e = failsWith(ServiceException.class, () -> addStockBundle(client()));
    assertEquals(400, e.statusCode());
    assertEquals("PARAM_ERROR", e.errorCode());
    assertEquals("bad brand", e.errorMessage());
    assertEquals("brand_id", e.detail().get("field"));
    assertNotNull(e.requestId());
    assertEquals(1, service.requests().size());
    assertEquals(1, e.attempts().size());
  }

  @Test
  void anUnsignedGateway503IsClassifiedBeforeVerificationAndRetriedWhenThePolicySaysSo() {
    service.then(unsigned(503, "<html>busy</html>"), ok(BUNDLE_OK));
    WechatPayClient client = client(RetryPolicy.builder().retryableStatuses(429, 500, 502, 503, 504).build());
    assertNotNull(addStockBundle(client).getStockBundleId());
    assertEquals(2, service.requests().size());
  }

  @Test
  void anUnsignedGateway503IsTheTypedGatewayErrorWhenNotRetryable() {
    service.then(unsigned(503, "<html>busy</html>"));
    GatewayException e = failsWith(GatewayException.class, () -> addStockBundle(client()));
    assertEquals(503, e.statusCode());
    assertEquals("<html>busy</html>", e.rawBodyText());
    assertEquals(1, service.requests().size(), "502/503/504 are not retried by default");
    assertEquals(1, e.attempts().size());
  }

  @Test
  void a2xxThatFailsVerificationIsNeverRetriedAndSaysTheRequestMayHaveBeenProcessed() {
    service.then(badlySigned(BUNDLE_OK));
    ResponseVerificationException e = failsWith(ResponseVerificationException.class, () -> addStockBundle(client()));
    assertEquals(VerificationCheck.BAD_SIGNATURE, e.check());
    assertTrue(e.getMessage().contains("may have been processed"), e.getMessage());
    assertEquals(1, service.requests().size());
  }

  @Test
  void everyVerificationCheckRejectsTheAnswer() {
    Map<VerificationCheck, FakeWechatPay.Step> cases = new LinkedHashMap<>();
    cases.put(VerificationCheck.SIGNTEST_PROBE, tampered(200, BUNDLE_OK, h -> {
      h.put("Wechatpay-Signature", "WECHATPAY/SIGNTEST/" + h.get("Wechatpay-Signature"));
      return h;
    }));
    cases.put(VerificationCheck.UNKNOWN_SERIAL, tampered(200, BUNDLE_OK, h -> {
      h.put("Wechatpay-Serial", "PUB_KEY_ID_0000000000000000000000000000UNKNOWN");
      return h;
    }));
    cases.put(VerificationCheck.MISSING_HEADER, tampered(200, BUNDLE_OK, h -> {
      h.remove("Wechatpay-Nonce");
      return h;
    }));
    cases.put(VerificationCheck.TIMESTAMP_OUT_OF_WINDOW, stale(Duration.ofMinutes(6), BUNDLE_OK));
    cases.forEach((check, step) -> {
      FakeWechatPay fake = new FakeWechatPay().then(step);
      ResponseVerificationException e = assertThrows(ResponseVerificationException.class,
          () -> addStockBundle(FakeClients.builder(fake).timeSource(time).build()), check.name());
      assertEquals(check, e.check());
    });
  }

  @Test
  void aSignedErrorThatFailsVerificationIsNotTrustedEither() {
    service.then(tampered(500, error("SYSTEM_ERROR", "x"), h -> {
      h.put("Wechatpay-Signature", "AAAA" + h.get("Wechatpay-Signature").substring(4));
      return h;
    }));
    ResponseVerificationException e = failsWith(ResponseVerificationException.class, () -> addStockBundle(client()));
    assertEquals(500, e.statusCode());
    assertFalse(e.getMessage().contains("may have been processed"), "a non-2xx was not processed");
  }

  @Test
  void anUnreachableHostFailsOverAtOnceKeepingPathAndQuery() {
    service.then(fail(new ConnectException("refused")), ok(BUNDLE_OK));
    addStockBundle(client());
    List<OutgoingRequest> sent = service.requests();
    assertEquals(PRIMARY.getHost(), sent.get(0).uri().getHost());
    assertEquals(BACKUP.getHost(), sent.get(1).uri().getHost());
    assertEquals(sent.get(0).uri().getRawPath(), sent.get(1).uri().getRawPath());
    assertEquals(List.of(), time.waits(), "a host not tried yet is tried at once");
  }

  @Test
  void bothHostsUnreachableWrapRoundAndEndInATransportErrorListingEveryAttempt() {
    service.then(fail(new HttpConnectTimeoutException("connect timed out")),
        fail(new UnknownHostException("api2")), fail(new ConnectException("refused")));
    TransportException e = failsWith(TransportException.class, () -> addStockBundle(client()));
    assertEquals(3, e.attempts().size());
    assertEquals(List.of("api.mch.weixin.qq.com", "api2.mch.weixin.qq.com", "api.mch.weixin.qq.com"),
        e.attempts().stream().map(Attempt::host).collect(java.util.stream.Collectors.toList()));
    assertTrue(e.attempts().stream().allMatch(a -> a.outcome() == Attempt.Outcome.UNREACHABLE));
    assertInstanceOf(ConnectException.class, e.getCause());
    assertEquals(2, e.getSuppressed().length, "earlier failures are kept");
    assertEquals(1, time.waits().size(), "back on a host already tried: a backoff");
  }

  @Test
  void aRequestTimeoutIsRetriedOnTheSameHost() {
    service.then(fail(new HttpTimeoutException("request timed out")), ok(BUNDLE_OK));
    addStockBundle(client());
    assertEquals(service.requests().get(0).uri(), service.requests().get(1).uri());
    assertEquals(1, time.waits().size());
    assertEquals(Duration.ofSeconds(10), service.timeouts().get(0), "the default request timeout");
  }

  @Test
  void anotherIoFailureIsNotRetried() {
    service.then(fail(new IOException("connection reset")));
    TransportException e = failsWith(TransportException.class, () -> addStockBundle(client()));
    assertTrue(e.getMessage().contains("may have been processed"), e.getMessage());
    assertEquals(1, service.requests().size());
  }

  @Test
  void alreadyExistsAfterAnAmbiguousAttemptSaysTheEarlierAttemptProbablySucceeded() {
    for (FakeWechatPay.Step first : List.of(error(500, "SYSTEM_ERROR"),
        fail(new HttpTimeoutException("request timed out")))) {
      FakeWechatPay fake = new FakeWechatPay().then(first, error(400, "ALREADY_EXISTS"));
      ProbablyProcessedException e = assertThrows(ProbablyProcessedException.class,
          () -> addStockBundle(FakeClients.builder(fake).timeSource(time).build()));
      assertEquals("ALREADY_EXISTS", e.errorCode());
      assertEquals(2, e.attempts().size());
      assertTrue(e.getMessage().contains("probably succeeded"), e.getMessage());
    }
  }

  @Test
  void alreadyExistsOnTheFirstAttemptIsAPlainServiceError() {
    service.then(error(400, "ALREADY_EXISTS"));
    ServiceException e = failsWith(ServiceException.class, () -> addStockBundle(client()));
    assertFalse(e instanceof ProbablyProcessedException);
  }

  @Test
  void aRetryAfterBeyondTheBudgetEndsTheCallWithoutWaiting() {
    service.then(rateLimited("3600"));
    ServiceException e = failsWith(ServiceException.class, () -> addStockBundle(client()));
    assertEquals(429, e.statusCode());
    assertEquals(List.of(), time.waits());
  }

  @Test
  void aRequestThatBreaksTheSpecIsRefusedBeforeAnythingIsSent() {
    AddStockBundleRequest request = SpecExamples.request("addStockBundle", AddStockBundleRequest.class).brandId(null);
    RequestValidationException e = failsWith(RequestValidationException.class,
        () -> client().productCouponApi().addStockBundle("x".repeat(41), request));
    assertEquals(2, e.violations().size(), e.getMessage());
    assertTrue(e.getMessage().contains("brand_id: is required"), e.getMessage());
    assertTrue(e.getMessage().contains("product_coupon_id"), e.getMessage());
    assertEquals(List.of(), service.requests());
  }

  @Test
  void aOneOfBodyWithoutItsVariantIsRefused() {
    RequestValidationException e = failsWith(RequestValidationException.class,
        () -> client().productCouponApi().updateStockBudget("1", "2", new UpdateStockBudgetRequest()));
    assertTrue(e.getMessage().contains("variants is required"), e.getMessage());
  }

  @Test
  void anInterruptStopsTheCallAndKeepsTheFlag() {
    service.then(error(500, "SYSTEM_ERROR"));
    time.interruptNextSleep();
    TransportException e = failsWith(TransportException.class, () -> addStockBundle(client()));
    assertTrue(e.interrupted());
    assertTrue(Thread.interrupted(), "the interrupt flag is set again (and cleared here)");
    assertEquals(1, service.requests().size());
  }

  @Test
  void theAsyncTwinFollowsTheSameRules() throws Exception {
    service.then(rateLimited("1"), ok(BUNDLE_OK));
    AddStockBundleResponse r = client().productCouponApi().addStockBundleAsync(
        SpecExamples.pathParam("addStockBundle", "product_coupon_id"),
        SpecExamples.request("addStockBundle", AddStockBundleRequest.class)).get(10, TimeUnit.SECONDS);
    assertNotNull(r.getStockBundleId());
    assertEquals(2, service.requests().size());

    CompletableFuture<?> refused = client().productCouponApi().addStockBundleAsync(null, null);
    ExecutionException e = assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
    assertInstanceOf(RequestValidationException.class, e.getCause(), "the exception itself, not wrapped");
  }

  @Test
  void cancellingAnAsyncCallStopsItsRetries() throws Exception {
    CountDownLatch waiting = new CountDownLatch(1);
    FakeWechatPay fake = new FakeWechatPay().then(error(500, "SYSTEM_ERROR"), ok(BUNDLE_OK));
    WechatPayClient client = FakeClients.builder(fake).timeSource(new SleepingTime(waiting)).build();
    CompletableFuture<AddStockBundleResponse> call = client.productCouponApi().addStockBundleAsync(
        SpecExamples.pathParam("addStockBundle", "product_coupon_id"),
        SpecExamples.request("addStockBundle", AddStockBundleRequest.class));
    assertTrue(waiting.await(10, TimeUnit.SECONDS), "the call reached its backoff");
    call.cancel(true);
    Thread.sleep(200);
    assertTrue(call.isCancelled());
    assertEquals(1, fake.requests().size(), "no attempt after the cancel");
  }

  @Test
  void theRootCatchesEveryFailure() {
    List<Supplier<FakeWechatPay.Step>> faults = List.of(() -> error(400, "PARAM_ERROR"),
        () -> unsigned(502, ""), () -> badlySigned("{}"), () -> fail(new IOException("reset")));
    for (Supplier<FakeWechatPay.Step> fault : faults) {
      FakeWechatPay fake = new FakeWechatPay().then(fault.get());
      try {
        addStockBundle(FakeClients.builder(fake).timeSource(time).build());
      } catch (WechatPayException expected) {
        assertFalse(expected.attempts().isEmpty(), expected.getClass().getSimpleName() + " carries its attempts");
        continue;
      }
      throw new AssertionError("no exception");
    }
  }

  @Test
  void onlyOperationsWithASpecRateLimitAskTheLimiter() {
    List<String> asked = new java.util.ArrayList<>();
    WechatPayClient client = FakeClients.builder(service).timeSource(time)
        .rateLimiter((mchid, op, perSecond) -> asked.add(mchid + " " + op + " " + perSecond)).build();
    service.then(error(500, "SYSTEM_ERROR"), ok(BUNDLE_OK), ok(SpecExamples.answer("createDeliveryPlan", 200)));
    addStockBundle(client);
    CreateDeliveryPlanResponse plan = client.deliveryPlanApi().createDeliveryPlan(
        SpecExamples.request("createDeliveryPlan", CreateDeliveryPlanRequest.class));
    assertNotNull(plan.getPlan());
    String mchid = FakeWechatPay.KEYS.mchid();
    assertEquals(List.of(mchid + " addStockBundle 20", mchid + " addStockBundle 20"), asked,
        "every attempt of addStockBundle (x-wechatpay-rate-limit: 20) and none of createDeliveryPlan");
  }

  /** Real sleeps, announcing the first one: for the cancellation test. */
  private static final class SleepingTime implements io.github.wechatpaypartner.client.runtime.TimeSource {
    private final CountDownLatch sleeping;

    SleepingTime(CountDownLatch sleeping) {
      this.sleeping = sleeping;
    }

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public java.time.Instant now() {
      return java.time.Instant.now();
    }

    @Override
    public void sleep(Duration delay) throws InterruptedException {
      sleeping.countDown();
      Thread.sleep(60_000);
    }
  }
}
