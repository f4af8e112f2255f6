package io.github.wechatpaypartner;

import static io.github.wechatpaypartner.testkit.FakeWechatPay.ok;
import static io.github.wechatpaypartner.testkit.FakeWechatPay.rateLimited;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest;
import io.github.wechatpaypartner.client.runtime.AttributeKey;
import io.github.wechatpaypartner.client.runtime.CallListener;
import io.github.wechatpaypartner.client.runtime.IncomingResponse;
import io.github.wechatpaypartner.client.runtime.Operation;
import io.github.wechatpaypartner.client.runtime.Verdict;
import io.github.wechatpaypartner.exception.Attempt;
import io.github.wechatpaypartner.exception.ConfigurationException;
import io.github.wechatpaypartner.exception.ResponseVerificationException;
import io.github.wechatpaypartner.exception.ServiceException;
import io.github.wechatpaypartner.exception.UnreadableResponseException;
import io.github.wechatpaypartner.exception.VerificationCheck;
import io.github.wechatpaypartner.exception.WechatPayException;
import io.github.wechatpaypartner.testing.FakeClients;
import io.github.wechatpaypartner.testing.SpecExamples;
import io.github.wechatpaypartner.testkit.FakeWechatPay;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The interceptor and listener contract of core's pipeline, through the client: where each kind of
 * interceptor runs, what it sees, what it may not do; and the smaller promises of the builder.
 */
class PipelineContractTest {
  private static final String PLAN = SpecExamples.answer("createDeliveryPlan", 200);
  private static final AttributeKey<Long> STARTED = AttributeKey.of("started", Long.class);

  private final FakeWechatPay service = new FakeWechatPay();

  private static void call(WechatPayClient client) {
    client.deliveryPlanApi().createDeliveryPlan(SpecExamples.request("createDeliveryPlan", CreateDeliveryPlanRequest.class));
  }

  @Test
  void aPerCallInterceptorRunsOnceAroundTheRetriesAndSeesTheLastAnswer() {
    service.then(rateLimited("0"), rateLimited("0"), rateLimited("0"));
    List<String> seen = new ArrayList<>();
    WechatPayClient client = FakeClients.builder(service).callInterceptor(chain -> {
      chain.context().put(STARTED, 42L);
      IncomingResponse answer = chain.proceed(chain.request());
      seen.add(chain.context().attempt() + ":" + answer.statusCode() + ":" + answer.verdict().kind()
          + ":" + chain.context().get(STARTED).orElseThrow());
      return answer;
    }).interceptor(chain -> {
      IncomingResponse answer = chain.proceed(chain.request());
      seen.add("attempt " + chain.context().attempt() + " " + answer.statusCode());
      return answer;
    }).build();
    ServiceException e = assertThrows(ServiceException.class, () -> call(client));
    assertEquals(List.of("attempt 1 429", "attempt 2 429", "attempt 3 429", "0:429:VERIFIED:42"), seen,
        "a 429 reaches interceptors as an answer; the per-call one sees the call's last");
    assertEquals(3, e.attempts().size());
    assertEquals("RATELIMIT_EXCEEDED", e.attempts().get(0).errorCode());
  }

  @Test
  void proceedingTwiceInOneStepFailsTheCall() {
    WechatPayClient client = FakeClients.builder(service).interceptor(chain -> {
      chain.proceed(chain.request());
      return chain.proceed(chain.request());
    }).build();
    WechatPayException e = assertThrows(WechatPayException.class, () -> call(client));
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("proceed twice"), e.getCause().getMessage());
    assertEquals(1, service.requests().size(), "the second proceed sent nothing");
  }

  @Test
  void anAnswerAnInterceptorMadeUpIsNeverTrusted() {
    WechatPayClient client = FakeClients.builder(service).callInterceptor(chain -> {
      IncomingResponse real = chain.proceed(chain.request());
      return new IncomingResponse(real.request(), 200, real.headers(), PLAN.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }).build();
    ResponseVerificationException e = assertThrows(ResponseVerificationException.class, () -> call(client));
    assertEquals(VerificationCheck.NOT_CHECKED, e.check());
  }

  @Test
  void anErrorOrRuntimeExceptionInsideACallSurfacesAsAWechatPayExceptionWithItsCause() {
    OutOfMemoryError oom = new OutOfMemoryError("simulated");
    WechatPayClient client = FakeClients.builder(service).interceptor(chain -> {
      throw oom;
    }).build();
    WechatPayException e = assertThrows(WechatPayException.class, () -> call(client));
    assertSame(oom, e.getCause());
  }

  @Test
  void listenersHearEveryAttemptAndTheCallAndCannotChangeItsResult() {
    service.then(rateLimited("1"), ok(PLAN));
    List<String> heard = new ArrayList<>();
    WechatPayClient client = FakeClients.builder(service)
        .listener(new CallListener() {
          @Override
          public void attemptEnded(Operation operation, Attempt attempt) {
            heard.add(operation.id() + " #" + attempt.number() + " " + attempt.statusCode().getAsInt()
                + " " + attempt.waitReason() + " " + (attempt.requestId() != null));
          }

          @Override
          public void callEnded(Operation operation, List<Attempt> attempts, Duration duration, WechatPayException failure) {
            heard.add(operation.id() + " ended after " + attempts.size() + " attempts, failure " + failure);
          }
        })
        .listener(new CallListener() {
          @Override
          public void callEnded(Operation operation, List<Attempt> attempts, Duration duration, WechatPayException failure) {
            throw new IllegalStateException("a broken listener");
          }
        }).build();
    call(client);
    assertEquals(List.of("createDeliveryPlan #1 429 NONE true", "createDeliveryPlan #2 200 RETRY_AFTER true",
        "createDeliveryPlan ended after 2 attempts, failure null"), heard);
  }

  @Test
  void aVerified2xxWithoutABodyIsATypedErrorNotNull() {
    for (String body : List.of("", "null")) {
      FakeWechatPay fake = new FakeWechatPay().then(ok(body));
      UnreadableResponseException e = assertThrows(UnreadableResponseException.class,
          () -> call(FakeClients.builder(fake).build()), "body '" + body + "'");
      assertEquals(200, e.statusCode());
      assertTrue(e.getMessage().contains("the request was processed"), e.getMessage());
    }
  }

  @Test
  void theMockOptionIsRefusedForEveryWechatPayHost() {
    for (String host : List.of("https://api.mch.weixin.qq.com", "https://api2.mch.weixin.qq.com",
        "https://apihk.mch.weixin.qq.com", "https://apius.mch.weixin.qq.com", "https://API.MCH.WEIXIN.QQ.COM.")) {
      assertThrows(ConfigurationException.class,
          () -> WechatPayClient.builder().insecureMockServerWithoutResponseVerification(URI.create(host)), host);
    }
  }

  @Test
  void anHttpClientThatFollowsRedirectsIsRefused() {
    HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> WechatPayClient.builder()
        .mchid(FakeWechatPay.KEYS.mchid()).merchantSerial(FakeWechatPay.KEYS.merchantSerial())
        .privateKey(FakeWechatPay.KEYS.merchantKeys().getPrivate())
        .wechatpayPublicKey(FakeWechatPay.KEYS.wechatpayPublicKeyId(), FakeWechatPay.KEYS.wechatpayKeys().getPublic())
        .httpClient(following).build());
    assertTrue(e.getMessage().contains("Authorization"), e.getMessage());
  }

  @Test
  void builderRefusalsAreConfigurationExceptions() {
    assertThrows(ConfigurationException.class, () -> io.github.wechatpaypartner.client.runtime.Timeouts
        .of(Duration.ZERO, Duration.ofSeconds(1)));
    assertThrows(ConfigurationException.class, () -> io.github.wechatpaypartner.client.runtime.RetryPolicy
        .builder().maxAttempts(0));
    assertThrows(ConfigurationException.class, () -> FakeClients.builder(service).maxAnswerBytes(0).build());
    assertNull(Verdict.VERIFIED.check());
    assertNotNull(Verdict.failed(VerificationCheck.BAD_SIGNATURE, "x").check());
  }
}
