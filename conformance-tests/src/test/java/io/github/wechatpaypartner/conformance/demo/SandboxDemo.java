package io.github.wechatpaypartner.conformance.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.conformance.support.ExamplePaths;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.NotificationReceiver;
import io.github.wechatpaypartner.conformance.support.SpecCalls;
import io.github.wechatpaypartner.sandbox.Fault;
import io.github.wechatpaypartner.sandbox.FaultRule;
import io.github.wechatpaypartner.sandbox.RecordedExchange;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SandboxKeys;
import io.github.wechatpaypartner.sandbox.SandboxSettings;
import io.github.wechatpaypartner.sandbox.junit.SandboxClient;
import io.github.wechatpaypartner.signing.notification.Notification;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * The SDK against the local WeChat Pay sandbox, no credentials needed: starts the sandbox (keys
 * generated now) and a notification endpoint, makes the three calls through
 * {@code WechatPayClient} with each request example of the spec (signed, answers verified), shows
 * the two notifications arriving and decrypting, then arms a fault (the next updateStockBudget
 * call is answered 429 with Retry-After) and shows the client's retry in the sandbox's record.
 * Everything is stopped at the end.
 *
 * <p>Run: the README's first command, {@code mvn -B -Pdemo -DskipTests verify}.
 */
public final class SandboxDemo {
  private SandboxDemo() {
  }

  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  public static void run(PrintStream out) throws Exception {
    SpecDocument spec = SpecDocument.load(ModulePaths.spec());
    try (NotificationReceiver receiver = NotificationReceiver.start();
        // The switchover key mode: downloadCertificates lists certificates too (404 in public-key mode).
        Sandbox sandbox = Sandbox.start(SandboxSettings.builder().spec(spec.path()).notifyUrl(receiver.url())
            .timeScale(60).keyMode(SandboxKeys.Mode.BOTH).build())) {
      WechatPayClient client = SandboxClient.builder(sandbox).build();
      out.println("Sandbox " + sandbox.uri() + " (spec " + spec.path() + "); notifications to " + receiver.url());
      out.println("Client  " + client);
      for (SpecOperation op : spec.operations().values()) {
        Map.Entry<String, JsonNode> first = SpecCalls.exampleBodies(op).entrySet().iterator().next();
        JsonNode example = first.getValue();
        out.println();
        out.println("== " + op.operationId + ": " + op.method + " " + ExamplePaths.path(op)
            + (example == null ? ", no body" : ", request example '" + first.getKey() + "', out_request_no "
                + example.path("out_request_no").asText()));
        Object answer = SpecCalls.call(client, op, example);
        out.println("   " + sandbox.lastExchange());
        out.println("   verified " + (answer == null ? "answer without body" : answer.getClass().getSimpleName() + ": "
            + summary(answer)));
      }

      out.println();
      out.println("== notifications the sandbox sent, as the client's parser reads them");
      for (NotificationReceiver.Received r : receiver.await(2, Duration.ofSeconds(10))) {
        Notification n = client.notificationParser().orElseThrow().parse(r.headers, r.body);
        out.println("   " + n.eventType() + " " + n.id() + " (signature verified, decrypted): " + n.resourceJson());
      }

      out.println();
      SpecOperation budget = spec.operation("updateStockBudget");
      FaultRule rule = sandbox.arm(FaultRule.next(1, budget.operationId, Fault.rateLimited(1)));
      // The first budget example again, one step further: its target is now the current value.
      ObjectNode again = budget.requestExamples().values().iterator().next().deepCopy();
      again.put("out_request_no", again.path("out_request_no").asText() + "_2");
      String dimension = again.path("update_mode").asText().toLowerCase(java.util.Locale.ROOT);
      again.put("current_" + dimension, again.path("target_" + dimension).asLong());
      again.put("target_" + dimension, again.path("target_" + dimension).asLong() + 100);
      out.println("== fault armed: " + rule + "; updateStockBudget again, out_request_no " + again.path("out_request_no").asText());
      SpecCalls.call(client, budget, again);
      for (RecordedExchange e : sandbox.exchanges(budget.operationId)) {
        if (again.path("out_request_no").asText().equals(e.outRequestNo())) {
          out.println("   " + e + (e.responseHeader("Retry-After") == null ? "" : " Retry-After " + e.responseHeader("Retry-After")));
        }
      }
      out.println("   the client waited Retry-After, resent the same body and got the stock with max_count "
          + sandbox.state().stock(ExamplePaths.of(budget).get("product_coupon_id"), ExamplePaths.of(budget).get("stock_id"))
              .orElseThrow().path("stock_send_rule").path(dimension));
    }
    out.println();
    out.println("The sandbox and the notification endpoint are stopped.");
  }

  /** The answer's ids, states and counts in one line (the first of each name), not a 100-line dump. */
  private static String summary(Object answer) {
    java.util.Map<String, String> seen = new java.util.LinkedHashMap<>();
    collect(SpecCalls.MAPPER.valueToTree(answer), seen);
    java.util.StringJoiner line = new java.util.StringJoiner(", ");
    seen.forEach((k, v) -> line.add(k + "=" + v));
    return line.toString();
  }

  private static void collect(JsonNode node, java.util.Map<String, String> seen) {
    node.fields().forEachRemaining(f -> {
      String k = f.getKey();
      if (f.getValue().isValueNode() && (k.endsWith("_id") || k.endsWith("state") || k.equals("plan_name")
          || k.equals("max_count"))) {
        seen.putIfAbsent(k, f.getValue().asText());
      } else if (f.getValue().isContainerNode()) {
        (f.getValue().isArray() ? f.getValue() : java.util.List.of(f.getValue())).forEach(c -> collect(c, seen));
      }
    });
  }
}
