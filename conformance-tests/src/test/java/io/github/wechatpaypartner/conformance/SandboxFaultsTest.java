package io.github.wechatpaypartner.conformance;

import static io.github.wechatpaypartner.conformance.support.Causes.causedBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.runtime.RetryPolicy;
import io.github.wechatpaypartner.client.runtime.Timeouts;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.RawCall;
import io.github.wechatpaypartner.conformance.support.SuiteSandbox;
import io.github.wechatpaypartner.conformance.support.SpecCalls;
import io.github.wechatpaypartner.exception.GatewayException;
import io.github.wechatpaypartner.exception.ProbablyProcessedException;
import io.github.wechatpaypartner.exception.ResponseVerificationException;
import io.github.wechatpaypartner.exception.ServiceException;
import io.github.wechatpaypartner.sandbox.Fault;
import io.github.wechatpaypartner.sandbox.FaultRule;
import io.github.wechatpaypartner.sandbox.RecordedExchange;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SandboxSettings;
import io.github.wechatpaypartner.sandbox.junit.SandboxClient;
import io.github.wechatpaypartner.sandbox.junit.SandboxExtension;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Point 5 of the sandbox issue: each fault, armed precisely ("the next 1 call of addStockBundle")
 * through the handle, a start rule or the request header, and what a client then sees; the
 * client's retries are read back from the sandbox's record. The injected client retries fast
 * (10 ms backoff) with a 1 s request timeout.
 */
class SandboxFaultsTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SuiteSandbox.perClass(s -> s.couponReceiptOnNewBundle(false))
      .client(c -> c.timeouts(Timeouts.of(Duration.ofSeconds(2), Duration.ofSeconds(1)))
          .retryPolicy(RetryPolicy.builder().baseDelay(Duration.ofMillis(10)).maxDelay(Duration.ofMillis(50)).build()));
  private static final SpecDocument SPEC = SpecDocument.load(ModulePaths.spec());
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Sandbox sandbox;
  private WechatPayClient client;

  @BeforeEach
  void fresh(Sandbox sandbox, WechatPayClient client) {
    this.sandbox = sandbox;
    this.client = client;
    sandbox.reset();
  }

  @Test
  void nextOneCallGetsAnUnsignedGateway503ThenTheServiceAnswers() {
    FaultRule rule = sandbox.arm(FaultRule.next(1, "addStockBundle", Fault.gateway(503)));
    RawCall.Result first = raw("addStockBundle").send();
    RawCall.Result second = raw("addStockBundle").send();
    assertEquals(503, first.status);
    assertTrue(first.contentType.startsWith("text/html"), first::toString);
    assertTrue(first.response.headers().firstValue("Wechatpay-Signature").isEmpty(), "a gateway does not sign");
    assertTrue(first.response.headers().firstValue("Request-ID").isEmpty());
    assertEquals(200, second.status, second::toString);
    assertEquals(1, rule.fired());
    assertTrue(rule.spent());
    List<RecordedExchange> seen = sandbox.exchanges("addStockBundle");
    assertEquals("GATEWAY_503", seen.get(0).fault);
    assertNull(seen.get(1).fault);
    assertEquals(1, bundlesMadeByTheExample(), "only the second call was processed");
  }

  @Test
  void theClientRetriesTheUnsignedGateway503WhenItsPolicySaysSo() throws Exception {
    WechatPayClient retrying503 = SandboxClient.builder(sandbox).retryPolicy(RetryPolicy.builder()
        .baseDelay(Duration.ofMillis(10)).maxDelay(Duration.ofMillis(50)).retryableStatuses(429, 500, 503).build()).build();
    sandbox.arm(FaultRule.next(1, "addStockBundle", Fault.gateway(503)));
    SpecCalls.call(retrying503, SPEC.operation("addStockBundle"), example("addStockBundle"));
    assertEquals(List.of(503, 200), statuses(sandbox.exchanges("addStockBundle")));
  }

  @Test
  void otherwiseTheClientReportsTheGatewayWithoutRetrying() {
    sandbox.arm(FaultRule.next(1, "addStockBundle", Fault.gateway(502)));
    GatewayException e = assertThrows(GatewayException.class, () -> call("addStockBundle"));
    assertEquals(502, e.statusCode());
    assertEquals(List.of(502), statuses(sandbox.exchanges("addStockBundle")));
  }

  @Test
  void aRateLimitWithRetryAfterIsWaitedOutAndRetriedWithTheSameBody() throws Exception {
    sandbox.arm(FaultRule.next(1, "updateStockBudget", Fault.rateLimited(1)));
    long start = System.nanoTime();
    call("updateStockBudget");
    long waited = (System.nanoTime() - start) / 1_000_000;
    List<RecordedExchange> seen = sandbox.exchanges("updateStockBudget");
    assertEquals(List.of(429, 200), statuses(seen));
    assertEquals("1", seen.get(0).responseHeader("Retry-After"));
    assertEquals(seen.get(0).requestBodyText(), seen.get(1).requestBodyText(), "the retry resends the same body");
    assertTrue(waited >= 1000, "the client honoured Retry-After: 1 (" + waited + " ms)");
  }

  @Test
  void aRateLimitOnEveryAttemptEndsInTheSpecsError() {
    ServiceException e = assertThrows(ServiceException.class, () -> call("updateStockBudget", Fault.rateLimited()));
    assertEquals(429, e.statusCode());
    assertEquals(SandboxChecksTest.exampleOf(SPEC.operation("updateStockBudget"), "RATELIMIT_EXCEEDED").path("message").asText(),
        e.errorMessage());
    List<RecordedExchange> seen = sandbox.exchanges("updateStockBudget");
    assertEquals(RetryPolicy.defaults().maxAttempts(), seen.size(), "every attempt met the header's fault");
    assertTrue(seen.stream().allMatch(x -> x.responseHeader("Retry-After") == null));
  }

  @Test
  void aSystemErrorArmedByTheStartRuleTextIsRetried() throws Exception {
    sandbox.arm(FaultRule.parse("createDeliveryPlan:SYSTEM_ERROR:next=2"));
    call("createDeliveryPlan");
    assertEquals(List.of(500, 500, 200), statuses(sandbox.exchanges("createDeliveryPlan")));
    assertEquals(1, sandbox.state().deliveryPlans().size(), "the 500s were not processed");
  }

  @Test
  void startRulesApplyFromTheFirstCall() {
    try (Sandbox started = Sandbox.start(SandboxSettings.builder().spec(ModulePaths.spec())
        .fault(FaultRule.parse("*:GATEWAY_502:every=2")).build())) {
      List<Integer> statuses = IntStream.range(0, 4).mapToObj(i -> raw(started, "createDeliveryPlan").send().status)
          .collect(Collectors.toList());
      assertEquals(List.of(200, 502, 200, 502), statuses);
    }
  }

  @Test
  void aSlowAnswerPastTheTimeoutWasProcessedSoTheRetryMeetsAlreadyExists() {
    sandbox.arm(FaultRule.next(1, "addStockBundle", Fault.slow(Duration.ofMillis(1500))));
    ServiceException e = assertThrows(ProbablyProcessedException.class, () -> call("addStockBundle"));
    assertEquals("ALREADY_EXISTS", e.errorCode(), e::getMessage);
    List<RecordedExchange> seen = sandbox.awaitExchanges("addStockBundle", 2, Duration.ofSeconds(10));
    assertEquals("SLOW;delay=1500", seen.get(0).fault);
    assertNull(seen.get(0).refusal, "the slow call was processed");
    assertTrue(seen.get(1).refusal.startsWith("ALREADY_EXISTS"), seen.get(1)::toString);
    assertEquals(1, bundlesMadeByTheExample());
  }

  @Test
  void aLostAnswerWasProcessedSoThe500sRetryMeetsAlreadyExists() {
    sandbox.arm(FaultRule.next(1, "addStockBundle", Fault.answerLost()));
    ServiceException e = assertThrows(ProbablyProcessedException.class, () -> call("addStockBundle"));
    assertEquals("ALREADY_EXISTS", e.errorCode(), e::getMessage);
    List<RecordedExchange> seen = sandbox.exchanges("addStockBundle");
    assertEquals(List.of(500, 400), statuses(seen));
    assertNull(seen.get(0).refusal, "processed, then answered 500");
    assertEquals(1, bundlesMadeByTheExample());
  }

  @Test
  void aResetIsNotProcessedButALostAnswerByResetIs() {
    sandbox.arm(FaultRule.next(1, "addStockBundle", Fault.reset()));
    assertThrows(UncheckedIOException.class, () -> raw("addStockBundle").send());
    assertEquals(0, bundlesMadeByTheExample());
    sandbox.arm(FaultRule.next(1, "addStockBundle", Fault.answerLostByReset()));
    assertThrows(UncheckedIOException.class, () -> raw("addStockBundle").send());
    assertEquals(1, bundlesMadeByTheExample());
    assertEquals(List.of(RecordedExchange.NO_ANSWER, RecordedExchange.NO_ANSWER), statuses(sandbox.exchanges("addStockBundle")));
  }

  @TestFactory
  Stream<DynamicNode> answersWithoutAGoodSignatureAreRefusedByTheClient() {
    return Stream.of(Fault.badSignature(), Fault.signTestProbe(), Fault.staleTimestamp(), Fault.unknownSerial(),
        Fault.unsigned()).map(fault -> DynamicTest.dynamicTest(fault.toString(), () -> {
          sandbox.reset();
          sandbox.arm(FaultRule.next(1, "createDeliveryPlan", fault));
          try {
            call("createDeliveryPlan");
            fail("an answer with " + fault + " was accepted");
          } catch (Exception e) {
            assertTrue(causedBy(e, ResponseVerificationException.class), () -> fault + ": " + e);
          }
          assertEquals(1, sandbox.exchanges().size(), "a 2xx that fails verification is not retried");
        }));
  }

  @Test
  void anErrorExampleByHeaderComesWithItsDeclaredStatus() {
    ServiceException e = assertThrows(ServiceException.class, () -> call("updateStockBudget", Fault.errorExample("NOT_FOUND_STOCK")));
    JsonNode example = SandboxChecksTest.exampleOf(SPEC.operation("updateStockBudget"), "NOT_FOUND_STOCK");
    assertEquals(404, e.statusCode());
    assertEquals(example.path("message").asText(), e.errorMessage());
  }

  @Test
  void anUnknownFaultInTheHeaderIsRefusedNamingTheHeader() {
    RawCall.Result result = raw("createDeliveryPlan").header(Fault.HEADER, "EARTHQUAKE").send();
    assertEquals(400, result.status);
    assertEquals(Fault.HEADER, result.json().path("detail").path("field").asText());
    assertTrue(result.json().path("detail").path("issue").asText().contains("GATEWAY_503"), "lists the known faults");
  }

  @Test
  void theSpecsRateLimitAnswers429AboveIt() {
    SpecOperation op = SPEC.operation("updateStockBudget");
    int limit = ((Number) op.operation.getExtensions().get("x-wechatpay-rate-limit")).intValue();
    long start = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, limit * 2)
        .mapToObj(i -> HTTP.sendAsync(request(raw("updateStockBudget")), HttpResponse.BodyHandlers.ofString()))
        .collect(Collectors.toList());
    List<Integer> statuses = calls.stream().map(c -> c.join().statusCode()).collect(Collectors.toList());
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    assertTrue(statuses.contains(429), () -> limit * 2 + " calls at once: " + statuses);
    // On a loaded machine the burst can outlast one second; the limit holds per second all the same.
    assertTrue(statuses.stream().filter(s -> s == 200).count() <= limit * (seconds + 1),
        () -> statuses + " in " + seconds + " s");
  }

  private int bundlesMadeByTheExample() {
    String outRequestNo = example("addStockBundle").path("out_request_no").asText();
    return (int) sandbox.state().stockBundles().stream()
        .filter(b -> outRequestNo.equals(b.path("out_request_no").asText())).count();
  }

  private Object call(String operationId) throws Exception {
    return SpecCalls.call(client, SPEC.operation(operationId), example(operationId));
  }

  /** Every request of the call carries the fault header. */
  private Object call(String operationId, Fault fault) throws Exception {
    return SpecCalls.call(client.withHeader(Fault.HEADER, fault.toString()),
        SPEC.operation(operationId), example(operationId));
  }

  private RawCall raw(String operationId) {
    return raw(sandbox, operationId);
  }

  private static RawCall raw(Sandbox target, String operationId) {
    return RawCall.to(target.uri(), SPEC.operation(operationId)).body(example(operationId)).signedWith(target.credentials());
  }

  private static HttpRequest request(RawCall call) {
    RawCall.Prepared prepared = call.prepare();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(prepared.url))
        .POST(HttpRequest.BodyPublishers.ofByteArray(prepared.body));
    prepared.headers.forEach(b::header);
    return b.build();
  }

  private static JsonNode example(String operationId) {
    return SpecCalls.firstExample(SPEC.operation(operationId));
  }

  private static List<Integer> statuses(List<RecordedExchange> exchanges) {
    return exchanges.stream().map(e -> e.status).collect(Collectors.toList());
  }

}
