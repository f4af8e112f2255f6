package io.github.wechatpaypartner.client.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void defaults() {
    RetryPolicy p = RetryPolicy.defaults();
    assertEquals(3, p.maxAttempts());
    assertEquals(Duration.ofSeconds(30), p.maxTotalTime());
    assertEquals(Duration.ofMillis(500), p.baseDelay());
    assertEquals(Duration.ofSeconds(5), p.maxDelay());
    assertEquals(Set.of(429, 500), p.retryableStatuses());
  }

  @Test
  void backoffCeilingDoublesUpToTheCap() {
    RetryPolicy p = RetryPolicy.defaults();
    assertEquals(Duration.ofMillis(500), p.backoffCeiling(1));
    assertEquals(Duration.ofMillis(1000), p.backoffCeiling(2));
    assertEquals(Duration.ofMillis(4000), p.backoffCeiling(4));
    assertEquals(Duration.ofSeconds(5), p.backoffCeiling(5));
    assertEquals(Duration.ofSeconds(5), p.backoffCeiling(Integer.MAX_VALUE));
  }

  @Test
  void fullJitterStaysWithinTheCeiling() {
    Duration ceiling = Duration.ofMillis(500);
    for (int i = 0; i < 1000; i++) {
      Duration d = Jitter.FULL.pick(ceiling);
      assertTrue(!d.isNegative() && d.compareTo(ceiling) <= 0, d.toString());
    }
    assertEquals(Duration.ZERO, Jitter.FULL.pick(Duration.ZERO));
  }

  @Test
  void badValuesAreRejectedNamingTheFieldAndTheRule() {
    assertMessage("RetryPolicy.maxAttempts must be at least 1, got 0",
        () -> RetryPolicy.builder().maxAttempts(0));
    assertMessage("RetryPolicy.maxTotalTime must be positive, got PT0S",
        () -> RetryPolicy.builder().maxTotalTime(Duration.ZERO));
    assertMessage("RetryPolicy.retryableStatuses must hold statuses from 400 to 599, got 200",
        () -> RetryPolicy.builder().retryableStatuses(429, 200));
    assertMessage("RetryPolicy.maxDelay (PT0.1S) must not be shorter than RetryPolicy.baseDelay (PT0.5S)",
        () -> RetryPolicy.builder().maxDelay(Duration.ofMillis(100)).build());
  }

  @Test
  void toBuilderKeepsEveryValue() {
    RetryPolicy p = RetryPolicy.builder().maxAttempts(5).maxTotalTime(Duration.ofSeconds(9))
        .baseDelay(Duration.ofMillis(50)).maxDelay(Duration.ofMillis(800)).retryableStatuses(503).build();
    assertEquals(p, p.toBuilder().build());
    assertEquals(p.hashCode(), p.toBuilder().build().hashCode());
  }

  @Test
  void timeoutsDefaultsAndWiring() {
    Timeouts t = Timeouts.DEFAULT;
    assertEquals(Duration.ofSeconds(5), t.connect());
    assertEquals(Duration.ofSeconds(10), t.attempt());
    assertEquals(Duration.ofSeconds(5),
        JdkHttpTransport.newHttpClient(t.connect()).connectTimeout().orElseThrow());
    assertEquals(Duration.ofMillis(300), t.withAttempt(Duration.ofMillis(300)).attempt());
    assertMessage("Timeouts.connect must be positive, got PT-1S", () -> t.withConnect(Duration.ofSeconds(-1)));
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
    assertEquals(expected, assertThrows(io.github.wechatpaypartner.exception.ConfigurationException.class, call).getMessage());
  }
}
