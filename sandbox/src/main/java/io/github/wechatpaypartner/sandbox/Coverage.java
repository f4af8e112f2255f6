package io.github.wechatpaypartner.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The contract coverage of the client the sandbox served: for each operation of the spec, which
 * declared statuses and error codes its calls met and which they never did; which faults; for each
 * notification of the spec, which delivery outcomes the client's receiver met. Counted as exchanges
 * are recorded, so it covers the whole run whatever the bounded record still holds, and survives
 * {@link Sandbox#reset()}. Thread-safe.
 */
final class Coverage {
  private static final ObjectMapper JSON = WechatPayJson.newObjectMapper();
  /** What can happen to a notification, as the receiver sees it. */
  static final List<String> NOTIFICATION_OUTCOMES = List.of(
      "delivered_first_time", "delivered_after_resend", "never_delivered", "duplicate_delivered");

  private final ServiceSpec spec;
  private final Map<String, Long> calls = new LinkedHashMap<>();
  private final Map<String, Set<Integer>> statuses = new LinkedHashMap<>();
  private final Map<String, Set<String>> codes = new LinkedHashMap<>();
  private final Map<String, Set<String>> faults = new LinkedHashMap<>();
  private final Map<String, Set<String>> outcomes = new LinkedHashMap<>();

  Coverage(ServiceSpec spec) {
    this.spec = spec;
    for (ServiceSpec.Operation op : spec.operations()) {
      calls.put(op.id, 0L);
      statuses.put(op.id, new TreeSet<>());
      codes.put(op.id, new TreeSet<>());
      faults.put(op.id, new TreeSet<>());
    }
    spec.tree().path("x-webhooks").fieldNames().forEachRemaining(event -> outcomes.put(event, new TreeSet<>()));
  }

  synchronized void exchange(RecordedExchange e) {
    if (e.operationId == null || !calls.containsKey(e.operationId)) {
      return;
    }
    calls.merge(e.operationId, 1L, Long::sum);
    if (e.fault != null) {
      faults.get(e.operationId).add(Fault.parse(e.fault).kind().name());
    }
    if (e.status == RecordedExchange.NO_ANSWER) {
      return;
    }
    statuses.get(e.operationId).add(e.status);
    if (e.status >= 400 && e.responseBody.length > 0 && e.responseBody[0] == '{') {
      try {
        JsonNode code = JSON.readTree(e.responseBody).path("code");
        if (code.isTextual()) {
          codes.get(e.operationId).add(code.asText());
        }
      } catch (IOException notJson) {
        // a gateway's page: its status counts, it has no code
      }
    }
  }

  /** Counts a finished notification (one that was to be sent). */
  synchronized void notification(SentNotification n) {
    Set<String> met = outcomes.get(n.eventType);
    if (met == null || n.url == null) {
      return;
    }
    List<SentNotification.Attempt> attempts = n.attempts();
    if (n.duplicateOf != null) {
      if (n.delivered()) {
        met.add("duplicate_delivered");
      }
    } else if (!n.delivered()) {
      met.add("never_delivered");
    } else {
      met.add(attempts.size() == 1 ? "delivered_first_time" : "delivered_after_resend");
    }
  }

  synchronized ObjectNode json() {
    ObjectNode report = JSON.createObjectNode();
    report.put("spec_version", spec.version());
    int[] total = {0, 0};
    ArrayNode ops = report.putArray("operations");
    Set<String> allFaults = new TreeSet<>();
    for (ServiceSpec.Operation op : spec.operations()) {
      ObjectNode o = ops.addObject();
      o.put("operation", op.id);
      o.put("calls", calls.get(op.id));
      List<String> declaredStatuses = new ArrayList<>();
      List<String> declaredCodes = new ArrayList<>();
      op.responses.values().forEach(r -> {
        declaredStatuses.add(Integer.toString(r.status));
        if (r.status >= 400) {
          r.examples.values().forEach(x -> {
            String code = x.path("code").asText("");
            if (!code.isEmpty() && !declaredCodes.contains(code)) {
              declaredCodes.add(code);
            }
          });
        }
      });
      List<String> metStatuses = new ArrayList<>();
      statuses.get(op.id).forEach(s -> metStatuses.add(Integer.toString(s)));
      metAndNever(o.putObject("statuses"), declaredStatuses, metStatuses, total);
      metAndNever(o.putObject("error_codes"), declaredCodes, codes.get(op.id), total);
      o.set("faults", JSON.valueToTree(faults.get(op.id)));
      allFaults.addAll(faults.get(op.id));
    }
    List<String> kinds = new ArrayList<>();
    for (Fault.Kind kind : Fault.Kind.values()) {
      kinds.add(kind.name());
    }
    metAndNever(report.putObject("faults"), kinds, allFaults, total);
    ArrayNode notifications = report.putArray("notifications");
    outcomes.forEach((event, met) -> {
      ObjectNode n = notifications.addObject();
      n.put("event_type", event);
      metAndNever(n.putObject("outcomes"), NOTIFICATION_OUTCOMES, met, total);
    });
    ObjectNode summary = report.putObject("summary");
    summary.put("met", total[0]);
    summary.put("declared", total[1]);
    summary.put("percent", total[1] == 0 ? 100 : Math.round(1000.0 * total[0] / total[1]) / 10.0);
    return report;
  }

  /** {@code met} (in declared order, then anything undeclared that was met) and {@code never}; adds to the totals. */
  private static void metAndNever(ObjectNode into, List<String> declared, Collection<String> met, int[] total) {
    ArrayNode metOut = into.putArray("met");
    ArrayNode never = into.putArray("never");
    for (String d : declared) {
      (met.contains(d) ? metOut : never).add(d);
      total[0] += met.contains(d) ? 1 : 0;
      total[1]++;
    }
    met.stream().filter(m -> !declared.contains(m)).forEach(m -> into.withArray("met_undeclared").add(m));
  }

  /** The same report as a page a person reads. */
  String html() {
    ObjectNode r = json();
    StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<title>WeChat Pay sandbox: contract coverage</title><style>body{font-family:sans-serif;margin:2em}"
        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}"
        + ".met{color:#1a7f37}.never{color:#b35900}</style></head><body>\n"
        + "<h1>Contract coverage</h1>\n<p>Spec ").append(esc(r.path("spec_version").asText())).append(": ")
        .append(r.path("summary").path("met").asInt()).append(" of ").append(r.path("summary").path("declared").asInt())
        .append(" declared outcomes met (").append(r.path("summary").path("percent").asText()).append(" %).</p>\n")
        .append("<h2>Operations</h2>\n<table><tr><th>operation</th><th>calls</th><th>statuses met</th>"
            + "<th>statuses never met</th><th>error codes met</th><th>error codes never met</th><th>faults met</th></tr>\n");
    for (JsonNode o : r.path("operations")) {
      h.append("<tr><td>").append(esc(o.path("operation").asText())).append("</td><td>").append(o.path("calls").asLong())
          .append("</td>").append(cells(o.path("statuses"))).append(cells(o.path("error_codes")))
          .append("<td>").append(list(o.path("faults"))).append("</td></tr>\n");
    }
    h.append("</table>\n<h2>Faults</h2>\n<table><tr><th>met</th><th>never met</th></tr>\n<tr>")
        .append(cells(r.path("faults"))).append("</tr></table>\n<h2>Notifications</h2>\n")
        .append("<table><tr><th>event</th><th>outcomes met</th><th>outcomes never met</th></tr>\n");
    for (JsonNode n : r.path("notifications")) {
      h.append("<tr><td>").append(esc(n.path("event_type").asText())).append("</td>").append(cells(n.path("outcomes")))
          .append("</tr>\n");
    }
    return h.append("</table>\n</body></html>\n").toString();
  }

  private static String cells(JsonNode metAndNever) {
    String undeclared = metAndNever.has("met_undeclared")
        ? " (undeclared: " + list(metAndNever.path("met_undeclared")) + ")" : "";
    return "<td class=\"met\">" + list(metAndNever.path("met")) + undeclared + "</td><td class=\"never\">"
        + list(metAndNever.path("never")) + "</td>";
  }

  private static String list(JsonNode values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(esc(v.asText())));
    return String.join(", ", out);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  byte[] jsonBytes() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  byte[] htmlBytes() {
    return html().getBytes(StandardCharsets.UTF_8);
  }
}
