package io.github.wechatpaypartner.conformance.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Point 8 of the sandbox issue: the README's first command's demo runs, here as part of the suite. */
class SandboxDemoTest {
  @Test
  void theDemoMakesTheThreeCallsReceivesBothNotificationsAndShowsTheRetry() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SandboxDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    for (String expected : new String[] {"== addStockBundle", "== createDeliveryPlan", "== updateStockBudget",
        "DELIVERY_PLAN.CHANGE", "PRODUCT_COUPON_SP.SEND", "fault RATE_LIMITED;retry-after=1 -> 429", "-> 200",
        "are stopped"}) {
      assertTrue(out.contains(expected), () -> "'" + expected + "' missing from the demo's output:\n" + out);
    }
  }
}
