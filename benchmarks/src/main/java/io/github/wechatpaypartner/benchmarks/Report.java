package io.github.wechatpaypartner.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns JMH's JSON results (-rf json, with -prof gc), the output of {@code openssl speed rsa2048}
 * and the server's allocation shares into the Markdown table of README.md, with the targets.
 *
 * <p>Usage: {@code Report results.json [openssl-speed.txt] [server-allocations.tsv]}.
 */
public final class Report {
  private static final Pattern OPENSSL_RSA2048 =
      Pattern.compile("^rsa\\s+2048\\s+bits\\s+([0-9.]+)s\\s+([0-9.]+)s", Pattern.MULTILINE);

  /** One JMH result: time in µs/op and allocation in bytes/op (NaN when not profiled). */
  static final class Score {
    final double micros;
    final double error;
    final double bytes;

    Score(double micros, double error, double bytes) {
      this.micros = micros;
      this.error = error;
      this.bytes = bytes;
    }
  }

  private final Map<String, Score> scores = new HashMap<>();
  private final Map<String, Long> serverBytes = new HashMap<>();
  private double opensslSignMicros = Double.NaN;
  private double opensslVerifyMicros = Double.NaN;
  private final List<String> targets = new ArrayList<>();

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: Report results.json [openssl-speed.txt] [server-allocations.tsv]");
      System.exit(2);
    }
    Report report = new Report();
    report.readJmh(Paths.get(args[0]));
    if (args.length > 1 && Files.isRegularFile(Paths.get(args[1]))) {
      report.readOpenssl(Paths.get(args[1]));
    }
    if (args.length > 2 && Files.isRegularFile(Paths.get(args[2]))) {
      report.readServerAllocations(Paths.get(args[2]));
    }
    System.out.print(report.markdown());
  }

  void readJmh(Path json) throws IOException {
    for (JsonNode result : new ObjectMapper().readTree(json.toFile())) {
      String benchmark = result.path("benchmark").asText();
      String simple = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
      JsonNode params = result.path("params");
      String key;
      switch (simple) {
        case "FloorBenchmark.signAndVerify":
          key = "floor/" + params.path("provider").asText();
          break;
        case "HooksBenchmark.signAndVerify":
          key = "hooks/" + params.path("provider").asText();
          break;
        case "OfficialHooksBenchmark.signAndVerify":
          key = "hooks/official";
          break;
        case "RoundTripBenchmark.roundTrip":
          key = "rt/" + params.path("operation").asText() + "/" + params.path("client").asText();
          break;
        default:
          continue;
      }
      JsonNode primary = result.path("primaryMetric");
      if (!"us/op".equals(primary.path("scoreUnit").asText())) {
        throw new IllegalStateException(benchmark + ": expected us/op, got " + primary.path("scoreUnit").asText());
      }
      JsonNode alloc = result.path("secondaryMetrics").path("gc.alloc.rate.norm");
      scores.put(key, new Score(primary.path("score").asDouble(), primary.path("scoreError").asDouble(Double.NaN),
          alloc.isMissingNode() ? Double.NaN : alloc.path("score").asDouble()));
    }
  }

  void readOpenssl(Path output) throws IOException {
    Matcher m = OPENSSL_RSA2048.matcher(new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
    if (m.find()) {
      opensslSignMicros = Double.parseDouble(m.group(1)) * 1e6;
      opensslVerifyMicros = Double.parseDouble(m.group(2)) * 1e6;
    }
  }

  void readServerAllocations(Path tsv) throws IOException {
    for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
      String[] cells = line.split("\t");
      if (cells.length == 3) {
        serverBytes.put("rt/" + cells[1] + "/" + cells[0], Long.parseLong(cells[2].trim()));
      }
    }
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("| operation | provider | ours µs/op | official µs/op | ours/official | ours/floor"
        + " | ours B/op | official B/op |\n");
    out.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (String provider : new String[] {Providers.JDK, Providers.ACCP}) {
      Score floor = scores.get("floor/" + provider);
      row(out, "floor: SHA256withRSA sign + verify (raw JCA)", provider, floor, null, floor);
    }
    if (!Double.isNaN(opensslSignMicros)) {
      out.append("| floor: `openssl speed -seconds 3 rsa2048` sign + verify | OpenSSL (native) | ")
          .append(fmt(opensslSignMicros + opensslVerifyMicros)).append(" (").append(fmt(opensslSignMicros))
          .append(" + ").append(fmt(opensslVerifyMicros)).append(") | | | | | |\n");
    }
    for (String provider : new String[] {Providers.JDK, Providers.ACCP}) {
      Score hooks = scores.get("hooks/" + provider);
      Score floor = scores.get("floor/" + provider);
      row(out, "hooks: headersFor + onResponse (official: Credential + Validator)", provider, hooks,
          scores.get("hooks/official"), floor);
      target("hooks " + provider + ": ours/floor", ratio(hooks, floor), 1.2);
    }
    for (String operation : SpecFixtures.OPERATIONS) {
      Score official = scores.get("rt/" + operation + "/" + Clients.OFFICIAL);
      for (String provider : new String[] {Providers.JDK, Providers.ACCP}) {
        Score ours = scores.get("rt/" + operation + "/ours-" + provider);
        row(out, "round trip: " + operation, provider, ours, official, scores.get("floor/" + provider));
        target("round trip " + operation + " " + provider + ": ours/official", ratio(ours, official),
            provider.equals(Providers.JDK) ? 1.0 : 1.0 / 3);
      }
    }
    out.append("\nThe official SDK signs with the JDK provider in every row (its provider is not"
        + " configurable); B/op is JMH's gc.alloc.rate.norm over all threads of the JVM.\n");
    if (!serverBytes.isEmpty()) {
      out.append("\nThe loopback server runs in the same JVM; its share of B/op (measured on its dispatcher"
          + " thread) and the clients' own allocation:\n\n");
      out.append("| operation | client | total B/op | server B/op | client B/op |\n|---|---|---:|---:|---:|\n");
      for (String operation : SpecFixtures.OPERATIONS) {
        for (String client : Clients.ALL) {
          String key = "rt/" + operation + "/" + client;
          Score s = scores.get(key);
          Long server = serverBytes.get(key);
          if (s == null || server == null || Double.isNaN(s.bytes)) {
            continue;
          }
          out.append("| ").append(operation).append(" | ").append(client).append(" | ").append(fmt(s.bytes))
              .append(" | ").append(server).append(" | ").append(fmt(s.bytes - server)).append(" |\n");
        }
      }
    }
    out.append("\nTargets:\n\n| target | measured | limit | met |\n|---|---:|---:|---|\n");
    for (String t : targets) {
      out.append(t);
    }
    return out.toString();
  }

  private void row(StringBuilder out, String what, String provider, Score ours, Score official, Score floor) {
    out.append("| ").append(what).append(" | ").append(provider).append(" | ")
        .append(ours == null ? "–" : withError(ours)).append(" | ")
        .append(official == null ? "" : withError(official)).append(" | ")
        .append(official == null ? "" : ratioText(ratio(ours, official))).append(" | ")
        .append(ratioText(ratio(ours, floor))).append(" | ")
        .append(ours == null || Double.isNaN(ours.bytes) ? "" : fmt(ours.bytes)).append(" | ")
        .append(official == null || Double.isNaN(official.bytes) ? "" : fmt(official.bytes)).append(" |\n");
  }

  private static String withError(Score s) {
    return Double.isNaN(s.error) ? fmt(s.micros) : fmt(s.micros) + " ± " + fmt(s.error);
  }

  private void target(String what, double measured, double limit) {
    targets.add("| " + what + " | " + ratioText(measured) + " | " + String.format(Locale.ROOT, "%.2f", limit)
        + " | " + (Double.isNaN(measured) ? "not measured" : measured <= limit ? "yes" : "**no**") + " |\n");
  }

  private static double ratio(Score a, Score b) {
    return a == null || b == null ? Double.NaN : a.micros / b.micros;
  }

  private static String ratioText(double ratio) {
    return Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.2f", ratio);
  }

  private static String fmt(double value) {
    if (Double.isNaN(value)) {
      return "";
    }
    return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
  }
}
