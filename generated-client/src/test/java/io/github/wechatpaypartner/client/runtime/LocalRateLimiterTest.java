package io.github.wechatpaypartner.client.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.exception.RateLimitException;
import io.github.wechatpaypartner.testkit.FakeTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalRateLimiterTest {
  private final FakeTime time = new FakeTime();

  @Test
  void attemptsOfOneOperationAreSpacedByTheSpecLimit() throws Exception {
    LocalRateLimiter limiter = LocalRateLimiter.unbounded().withTimeSource(time);
    for (int i = 0; i < 4; i++) {
      limiter.acquire("1900000001", "addStockBundle", 20);
    }
    assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(50)), time.waits(),
        "one call at a time: each waits for the next 50 ms slot");
  }

  @Test
  void operationsAndMerchantsAreLimitedSeparatelyAndAnIdleOneDoesNotWait() throws Exception {
    LocalRateLimiter limiter = LocalRateLimiter.unbounded().withTimeSource(time);
    limiter.acquire("1900000001", "addStockBundle", 20);
    limiter.acquire("1900000001", "updateStockBudget", 20);
    limiter.acquire("1900000002", "addStockBundle", 20);
    time.advance(Duration.ofSeconds(1));
    limiter.acquire("1900000001", "addStockBundle", 20);
    assertEquals(List.of(), time.waits());
  }

  @Test
  void aWaitLongerThanTheBoundIsRefusedWithoutTakingASlot() throws Exception {
    LocalRateLimiter limiter = LocalRateLimiter.withMaxWait(Duration.ofMillis(60)).withTimeSource(time);
    limiter.acquire("1", "addStockBundle", 20);
    limiter.acquire("1", "addStockBundle", 20); // waits 50 ms: within the bound
    limiter.acquire("1", "slowOperation", 10);
    RateLimitException e = assertThrows(RateLimitException.class, () -> limiter.acquire("1", "slowOperation", 10));
    assertTrue(e.getMessage().contains("no rate-limit permit within 60 ms"), e.getMessage());
    assertEquals("slowOperation", e.operationId());
    time.advance(Duration.ofMillis(100));
    limiter.acquire("1", "slowOperation", 10); // the refused call took no slot
    assertEquals(List.of(Duration.ofMillis(50)), time.waits());
  }

  @Test
  void anInterruptedWaitThrowsAndTheNoLimitCaseNeverWaits() throws Exception {
    LocalRateLimiter limiter = LocalRateLimiter.unbounded().withTimeSource(time);
    limiter.acquire("1", "addStockBundle", 20);
    time.interruptNextSleep();
    assertThrows(InterruptedException.class, () -> limiter.acquire("1", "addStockBundle", 20));
    limiter.acquire("1", "createDeliveryPlan", 0);
    limiter.acquire("1", "createDeliveryPlan", 0);
    assertEquals(List.of(), time.waits());
  }

  @Test
  void aNegativeBoundIsRefused() {
    io.github.wechatpaypartner.exception.ConfigurationException e = assertThrows(
        io.github.wechatpaypartner.exception.ConfigurationException.class,
        () -> LocalRateLimiter.withMaxWait(Duration.ofMillis(-1)));
    assertEquals("LocalRateLimiter.maxWait must not be negative, got PT-0.001S", e.getMessage());
  }
}
