package io.github.wechatpaypartner.client.resilience;

import static io.github.wechatpaypartner.client.resilience.ScriptedExchange.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.client.hook.Exchange;
import io.github.wechatpaypartner.client.hook.IncomingResponse;
import io.github.wechatpaypartner.client.hook.OutgoingRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RateLimitingExchangeTest {

  private final FakeTime time = new FakeTime();

  private static OutgoingRequest call(String operationId) {
    return new OutgoingRequest(operationId, "POST", URI.create("https://api.mch.weixin.qq.com/v3/x"), new byte[0]);
  }

  @Test
  void reservationsOfOneOperationAreSpacedAtTwentyPerSecond() {
    RateLimitingExchange limiter = RateLimitingExchange.builder(new ScriptedExchange()).timeSource(time).build();

    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      waits.add(limiter.reserve(call("createDeliveryPlan")));
    }

    assertEquals(List.of(Duration.ZERO, Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(150)), waits);
    assertEquals(Duration.ZERO, limiter.reserve(call("addStockBundle")), "operations are limited separately");
    time.advance(Duration.ofSeconds(1));
    assertEquals(Duration.ZERO, limiter.reserve(call("createDeliveryPlan")), "an idle operation does not wait");
  }

  @Test
  void perOperationRateOverridesTheDefault() {
    RateLimitingExchange limiter = RateLimitingExchange.builder(new ScriptedExchange())
        .permitsPerSecond(5).permitsPerSecond("updateStockBudget", 10).timeSource(time).build();

    limiter.reserve(call("updateStockBudget"));
    assertEquals(Duration.ofMillis(100), limiter.reserve(call("updateStockBudget")));
    limiter.reserve(call("addStockBundle"));
    assertEquals(Duration.ofMillis(200), limiter.reserve(call("addStockBundle")));
  }

  @Test
  void executeWaitsSoTheWrappedExchangeIsCalledAtSpacedTimes() throws Exception {
    List<Long> calledAt = new ArrayList<>();
    ScriptedExchange inner = new ScriptedExchange(status(200), status(200), status(200));
    Exchange timing = new Exchange() {
      @Override
      public IncomingResponse execute(OutgoingRequest request) throws java.io.IOException, InterruptedException {
        calledAt.add(time.nanoTime());
        return inner.execute(request);
      }

      @Override
      public CompletableFuture<IncomingResponse> executeAsync(OutgoingRequest request) {
        throw new UnsupportedOperationException();
      }
    };
    RateLimitingExchange limiter = RateLimitingExchange.builder(timing).timeSource(time).build();

    for (int i = 0; i < 3; i++) {
      limiter.execute(call("createDeliveryPlan"));
    }

    assertEquals(List.of(50_000_000L, 50_000_000L), List.of(calledAt.get(1) - calledAt.get(0), calledAt.get(2) - calledAt.get(1)));
    assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(50)), time.waits());
  }

  @Test
  void executeAsyncWaitsThroughTheDelayedExecutor() {
    ScriptedExchange inner = new ScriptedExchange(status(200), status(200));
    RateLimitingExchange limiter = RateLimitingExchange.builder(inner).timeSource(time).build();

    assertEquals(200, limiter.executeAsync(call("addStockBundle")).join().statusCode());
    assertEquals(200, limiter.executeAsync(call("addStockBundle")).join().statusCode());

    assertEquals(List.of(Duration.ofMillis(50)), time.waits());
    assertEquals(2, inner.seen().size());
  }

  @Test
  void interruptedWaitDoesNotSendAndSetsTheFlag() {
    ScriptedExchange inner = new ScriptedExchange(status(200), status(200));
    RateLimitingExchange limiter = RateLimitingExchange.builder(inner).timeSource(time).build();
    limiter.reserve(call("createDeliveryPlan"));
    time.interruptNextSleep();
    try {
      assertThrows(InterruptedException.class, () -> limiter.execute(call("createDeliveryPlan")));
      assertTrue(Thread.currentThread().isInterrupted());
      assertTrue(inner.seen().isEmpty());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void badRatesAreRejected() {
    assertEquals("RateLimitingExchange.permitsPerSecond must be a positive finite number, got 0.0",
        assertThrows(IllegalArgumentException.class,
            () -> RateLimitingExchange.builder(new ScriptedExchange()).permitsPerSecond(0)).getMessage());
    assertEquals("RateLimitingExchange.permitsPerSecond[addStockBundle] must be a positive finite number, got NaN",
        assertThrows(IllegalArgumentException.class,
            () -> RateLimitingExchange.builder(new ScriptedExchange()).permitsPerSecond("addStockBundle", Double.NaN))
            .getMessage());
  }
}
