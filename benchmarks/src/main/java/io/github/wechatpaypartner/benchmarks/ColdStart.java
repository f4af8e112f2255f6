package io.github.wechatpaypartner.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold start and memory, one fresh JVM ({@link ColdStartChild}) per sample and client, the clients
 * alternating (order rotated per sample), all against one {@link LoopbackServer} in this JVM.
 *
 * <pre>
 * ColdStart coldstart [samples=20] [clients=official,ours-JDK,ours-ACCP[,ours-before-JDK]] [classpaths=DIR] [out=DIR]
 * ColdStart memory    [samples=3] [calls=5000] [clients=...] [classpaths=DIR] [out=DIR]
 * </pre>
 *
 * Cold start: JVM start (the parent's spawn) to the first verified answer, split into JVM start to
 * {@code main}, building the client from key files, reading the request model, and the first call.
 * Memory: after the first call and {@code calls} more, three {@code System.gc()}; then heap used and
 * metaspace used ({@code jcmd GC.heap_info}), loaded classes ({@code jcmd PerfCounter.print}) and RSS
 * ({@code /proc/PID/status}).
 *
 * <p>Each client's classpath is its own jars, listed by the build in {@code classpaths}
 * (target/classpath: {@code ours.txt}, {@code official.txt}, {@code accp.txt}, and
 * {@code ours-before.txt} plus target/before/classes when the baseline was built), plus target/classes.
 * {@code ours-ACCP} is ours with ACCP's jar added, found by the default provider detection.
 */
public final class ColdStart {
  private static final Pattern TIMES =
      Pattern.compile("COLDSTART main=(\\d+) built=(\\d+) prepared=(\\d+) answered=(\\d+)");
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
  private static final Pattern METASPACE_USED = Pattern.compile("Metaspace\\s+used (\\d+)K");
  private static final Pattern PERF = Pattern.compile("^(java\\.cls\\.\\w+)=(\\d+)", Pattern.MULTILINE);
  private static final String[] COLD_COLUMNS = {"jvm_to_main_ms", "build_ms", "model_ms", "first_call_ms", "total_ms"};
  private static final String[] MEMORY_COLUMNS = {"heap_mb", "metaspace_mb", "classes", "rss_mb"};

  private final Map<String, String> options;
  private final Path classpaths;
  private final Path out;
  private final List<String> clients;

  private ColdStart(Map<String, String> options) {
    this.options = options;
    this.classpaths = options.containsKey("classpaths") ? Path.of(options.get("classpaths")) : IsolatedClient.classpaths();
    this.out = Path.of(options.getOrDefault("out", "benchmarks/target/results"));
    List<String> defaults = new ArrayList<>(List.of(Clients.OFFICIAL, Clients.OURS_JDK, Clients.OURS_ACCP));
    if (Files.isRegularFile(classpaths.resolve(IsolatedClient.BEFORE_CLASSPATH))) {
      defaults.add(Clients.BEFORE_JDK);
    }
    this.clients = options.containsKey("clients") ? Arrays.asList(options.get("clients").split(",")) : defaults;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args, "ColdStart coldstart|memory [name=value ...]", "coldstart", "memory");
    new ColdStart(options).run(args[0].equals("memory"));
  }

  private void run(boolean memory) throws Exception {
    int samples = Integer.parseInt(options.getOrDefault("samples", memory ? "3" : "20"));
    int calls = Integer.parseInt(options.getOrDefault("calls", "5000"));
    SpecFixtures fixtures = SpecFixtures.load();
    TestKeys keys = TestKeys.generate();
    Path dir = Files.createTempDirectory("wechatpay-coldstart");
    KeyFiles.write(dir, keys, fixtures.typical());
    String[] columns = memory ? MEMORY_COLUMNS : COLD_COLUMNS;
    Map<String, List<double[]>> results = new LinkedHashMap<>();
    StringBuilder tsv = new StringBuilder("sample\tclient\t" + String.join("\t", columns) + "\tsteal_percent\tothers_percent\tload1\n");
    try (LoopbackServer server = new LoopbackServer(fixtures, keys.wechatPay.getPrivate(), TestKeys.TEST_PUBLIC_KEY_ID)) {
      for (int sample = 0; sample < samples; sample++) {
        for (String client : Interleaved.rotated(clients, sample)) {
          HostLoad before = HostLoad.sample();
          double[] figures = memory ? memory(client, dir, server.baseUri(), calls) : coldStart(client, dir, server.baseUri());
          HostLoad after = HostLoad.sample();
          results.computeIfAbsent(client, c -> new ArrayList<>()).add(figures);
          StringBuilder row = new StringBuilder().append(sample).append('\t').append(client);
          for (double f : figures) {
            row.append('\t').append(String.format(Locale.ROOT, "%.1f", f));
          }
          row.append(String.format(Locale.ROOT, "\t%.2f\t%.1f\t%.2f", after.stealPercentSince(before),
              after.othersPercentSince(before), before.load1));
          tsv.append(row).append('\n');
          System.out.println(row);
        }
      }
    } finally {
      for (String name : new String[] {"apiclient_key.pem", "pub_key.pem", "merchant_serial", "path", "operation", "request.json"}) {
        Files.deleteIfExists(dir.resolve(name));
      }
      Files.deleteIfExists(dir);
    }
    write(memory ? "memory" : "coldstart", columns, results, tsv, memory
        ? samples + " JVMs per client, each after its first call and " + calls + " more, then 3 x System.gc()"
        : samples + " JVMs per client, JVM start to the first verified answer of " + fixtures.typical().operationId);
  }

  private List<String> command(String client, String dir, String baseUri) throws IOException {
    String subject = client.startsWith("ours-before") ? "before" : client.startsWith("ours") ? "ours" : Clients.OFFICIAL;
    String jars;
    switch (client) {
      case Clients.OFFICIAL:
        jars = classpath("official.txt");
        break;
      case Clients.OURS_JDK:
        jars = classpath("ours.txt");
        break;
      case Clients.OURS_ACCP:
        jars = classpath("ours.txt") + File.pathSeparator + classpath("accp.txt");
        break;
      case Clients.BEFORE_JDK:
        jars = IsolatedClient.beforeClasspath(classpaths);
        break;
      default:
        throw new IllegalArgumentException("unknown client " + client);
    }
    String classes = classpaths.toAbsolutePath().getParent().resolve("classes").toString();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ArrayList<>(List.of(java, "-cp", classes + File.pathSeparator + jars,
        ColdStartChild.class.getName(), subject, dir, baseUri));
  }

  private String classpath(String file) throws IOException {
    Path listing = classpaths.resolve(file);
    if (!Files.isRegularFile(listing)) {
      throw new IllegalStateException(listing + " is missing: build with benchmarks/run.sh (or mvn -Pbenchmarks -pl benchmarks -am package)");
    }
    return Files.readString(listing).trim();
  }

  /** {jvm_to_main, build, model, first_call, total} in ms for one fresh JVM. */
  private double[] coldStart(String client, Path dir, String baseUri) throws Exception {
    List<String> command = command(client, dir.toString(), baseUri);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    long spawn = System.currentTimeMillis();
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(client + " cold start failed:\n" + output);
    }
    Matcher m = TIMES.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException(client + " printed no times:\n" + output);
    }
    long main = Long.parseLong(m.group(1));
    long built = Long.parseLong(m.group(2));
    long prepared = Long.parseLong(m.group(3));
    long answered = Long.parseLong(m.group(4));
    return new double[] {main - spawn, built - main, prepared - built, answered - prepared, answered - spawn};
  }

  /** {heap MB, metaspace MB, loaded classes, RSS MB} of a JVM held after its warm-up calls. */
  private double[] memory(String client, Path dir, String baseUri, int calls) throws Exception {
    List<String> command = command(client, dir.toString(), baseUri);
    command.add(Integer.toString(calls));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      for (String line = lines.readLine(); !"READY".equals(line); line = lines.readLine()) {
        if (line == null) {
          throw new IllegalStateException(client + " ended before READY:\n" + output);
        }
        output.append(line).append('\n');
      }
      String pid = Long.toString(process.pid());
      String heapInfo = jcmd(pid, "GC.heap_info");
      String perf = jcmd(pid, "PerfCounter.print");
      Map<String, Long> counters = new LinkedHashMap<>();
      Matcher c = PERF.matcher(perf);
      while (c.find()) {
        counters.put(c.group(1), Long.parseLong(c.group(2)));
      }
      long classes = counters.getOrDefault("java.cls.loadedClasses", 0L) + counters.getOrDefault("java.cls.sharedLoadedClasses", 0L)
          - counters.getOrDefault("java.cls.unloadedClasses", 0L) - counters.getOrDefault("java.cls.sharedUnloadedClasses", 0L);
      long rssKb = Files.readAllLines(Path.of("/proc", pid, "status")).stream().filter(l -> l.startsWith("VmRSS:"))
          .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1L);
      return new double[] {kilobytes(HEAP_USED, heapInfo) / 1024.0, kilobytes(METASPACE_USED, heapInfo) / 1024.0,
          classes, rssKb / 1024.0};
    } finally {
      process.getOutputStream().close();
      process.waitFor();
    }
  }

  private static long kilobytes(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no " + pattern + " in:\n" + text);
    }
    return Long.parseLong(m.group(1));
  }

  private static String jcmd(String pid, String command) throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process p = new ProcessBuilder(jcmd, pid, command).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + pid + " " + command + " failed:\n" + text);
    }
    return text;
  }

  private void write(String name, String[] columns, Map<String, List<double[]>> results, StringBuilder tsv, String settings)
      throws IOException {
    StringBuilder md = new StringBuilder("# ").append(name).append("\n\n").append(Machine.describe())
        .append('\n').append(settings).append(". Median (IQR, range) per client; ratios are of medians.\n\n| client |");
    for (String column : columns) {
      md.append(' ').append(column).append(" |");
    }
    md.append("\n|---|").append("---|".repeat(columns.length)).append('\n');
    for (Map.Entry<String, List<double[]>> client : results.entrySet()) {
      md.append("| ").append(client.getKey()).append(" |");
      for (int i = 0; i < columns.length; i++) {
        md.append(' ').append(spread(client.getValue(), i).format("%.1f")).append(" |");
      }
      md.append('\n');
    }
    List<double[]> official = results.get(Clients.OFFICIAL);
    if (official != null) {
      md.append("\n| ratio of medians to official |");
      for (String column : columns) {
        md.append(' ').append(column).append(" |");
      }
      md.append("\n|---|").append("---|".repeat(columns.length)).append('\n');
      for (Map.Entry<String, List<double[]>> client : results.entrySet()) {
        if (client.getValue() == official) {
          continue;
        }
        md.append("| ").append(client.getKey()).append(" |");
        for (int i = 0; i < columns.length; i++) {
          md.append(String.format(Locale.ROOT, " %.2f |", spread(client.getValue(), i).median / spread(official, i).median));
        }
        md.append('\n');
      }
    }
    Files.createDirectories(out);
    Files.write(out.resolve(name + ".tsv"), tsv.toString().getBytes(StandardCharsets.UTF_8));
    Files.write(out.resolve(name + ".md"), md.toString().getBytes(StandardCharsets.UTF_8));
    System.out.print(md);
  }

  private static Spread spread(List<double[]> rows, int column) {
    List<Double> values = new ArrayList<>();
    rows.forEach(r -> values.add(r[column]));
    return Spread.of(values);
  }
}
