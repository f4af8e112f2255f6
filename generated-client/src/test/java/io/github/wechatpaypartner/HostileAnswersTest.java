package io.github.wechatpaypartner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest;
import io.github.wechatpaypartner.client.runtime.RetryPolicy;
import io.github.wechatpaypartner.client.runtime.Timeouts;
import io.github.wechatpaypartner.exception.Attempt;
import io.github.wechatpaypartner.exception.GatewayException;
import io.github.wechatpaypartner.exception.ResponseException;
import io.github.wechatpaypartner.exception.ResponseTooLargeException;
import io.github.wechatpaypartner.exception.TransportException;
import io.github.wechatpaypartner.testing.SpecExamples;
import io.github.wechatpaypartner.testkit.FakeWechatPay;
import io.github.wechatpaypartner.testkit.MisbehavingServer;
import io.github.wechatpaypartner.testkit.ServiceSigner;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Answers that misbehave at the HTTP level, over a real socket and the default transport: a
 * signed body that drips or never ends, an unsigned error page of 200 MB. Each call ends within
 * its deadline and its size limit, as a typed exception.
 */
class HostileAnswersTest {
  private static final String PLAN = SpecExamples.answer("createDeliveryPlan", 200);
  private static final ServiceSigner SERVICE = new ServiceSigner(FakeWechatPay.KEYS.wechatpayKeys().getPrivate(),
      FakeWechatPay.KEYS.wechatpayPublicKeyId(), Clock.systemUTC());

  private static WechatPayClient.Builder client(MisbehavingServer server) {
    return WechatPayClient.builder()
        .mchid(FakeWechatPay.KEYS.mchid())
        .merchantSerial(FakeWechatPay.KEYS.merchantSerial())
        .privateKey(FakeWechatPay.KEYS.merchantKeys().getPrivate())
        .wechatpayPublicKey(FakeWechatPay.KEYS.wechatpayPublicKeyId(), FakeWechatPay.KEYS.wechatpayKeys().getPublic())
        .hosts(server.uri());
  }

  private static void call(WechatPayClient client) {
    client.deliveryPlanApi().createDeliveryPlan(SpecExamples.request("createDeliveryPlan", CreateDeliveryPlanRequest.class));
  }

  @Test
  void aSignedBodyDrippingAfterItsHeadersEndsWithinTheAttemptDeadline() throws Exception {
    byte[] body = PLAN.getBytes(StandardCharsets.UTF_8);
    try (MisbehavingServer server = MisbehavingServer.start(
        MisbehavingServer.drip(200, SERVICE.headers(body), body, 10, Duration.ofMillis(200)))) {
      WechatPayClient client = client(server).noRetries()
          .timeouts(Timeouts.of(Duration.ofSeconds(1), Duration.ofSeconds(1))).build();
      long start = System.nanoTime();
      TransportException e = assertThrows(TransportException.class, () -> call(client));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "ended after " + took + ": deadline 1 s plus a second");
      assertInstanceOf(HttpTimeoutException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("not complete within 1000 ms"), e.getCause().getMessage());
      assertEquals(Attempt.Outcome.TIMED_OUT, e.attempts().get(0).outcome());
    }
  }

  @Test
  void noAttemptOutlivesTheCallBudget() throws Exception {
    byte[] body = PLAN.getBytes(StandardCharsets.UTF_8);
    try (MisbehavingServer server = MisbehavingServer.start(
        MisbehavingServer.drip(200, SERVICE.headers(body), body, 10, Duration.ofMillis(500)))) {
      WechatPayClient client = client(server)
          .retryPolicy(RetryPolicy.builder().maxAttempts(5).maxTotalTime(Duration.ofMillis(1500))
              .baseDelay(Duration.ofMillis(10)).build())
          .timeouts(Timeouts.of(Duration.ofSeconds(1), Duration.ofSeconds(10))).build();
      long start = System.nanoTime();
      assertThrows(TransportException.class, () -> call(client));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      // Far below the 10 s attempt deadline; the margin above 1.5 s is for a loaded 2-core machine.
      assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0,
          "ended after " + took + ": a 10 s attempt deadline is cut to what is left of the 1.5 s budget");
    }
  }

  @Test
  void anEndlessSignedBodyEndsAtTheSizeLimitAndTheConnectionIsClosed() throws Exception {
    try (MisbehavingServer server = MisbehavingServer.start(
        MisbehavingServer.endless(200, SERVICE.headers("{}".getBytes(StandardCharsets.UTF_8))))) {
      WechatPayClient client = client(server).noRetries().maxAnswerBytes(1024 * 1024).build();
      ResponseTooLargeException e = assertThrows(ResponseTooLargeException.class, () -> call(client));
      assertEquals(1024 * 1024, e.limit());
      assertTrue(e.getMessage().contains("may have been processed"), e.getMessage());
      long written = server.bytesWritten();
      Thread.sleep(300);
      assertTrue(server.bytesWritten() - written < 8L * 1024 * 1024,
          "the server could still write " + (server.bytesWritten() - written) + " bytes: the connection was not closed");
    }
  }

  @Test
  void aHugeUnsignedErrorPageIsAGatewayErrorWithABoundedExcerpt() throws Exception {
    try (MisbehavingServer server = MisbehavingServer.start(
        MisbehavingServer.sized(503, Map.of(), 200L * 1024 * 1024, (byte) 'x'))) {
      WechatPayClient client = client(server).noRetries().build();
      GatewayException e = assertThrows(GatewayException.class, () -> call(client));
      assertEquals(503, e.statusCode());
      assertEquals(ResponseException.MAX_BODY_EXCERPT, e.rawBody().length);
      assertTrue(e.rawBodyTruncated());
      assertTrue(server.bytesWritten() < 64L * 1024 * 1024, "read " + server.bytesWritten()
          + " bytes of a 200 MB page: the body was not cut at the client's limit");
    }
  }
}
