package io.github.wechatpaypartner.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Both SDKs in one JVM against one {@link LoopbackServer}, measured in rounds that alternate the
 * clients (order rotated each round) so that host noise hits every client alike. Reports, per
 * client, the median of its per-round figures and, per pair, the median of the per-round ratios,
 * with their spread; records per round the host's steal time, the CPU share of other processes and the load,
 * and flags rounds with heavy steal or busy neighbours.
 *
 * <pre>
 * Interleaved sequential [rounds=10] [calls=2000] [warmup=3000] [operation=createDeliveryPlan] [clients=...] [out=DIR]
 * Interleaved throughput [rounds=5] [seconds=5] [threads=1,8,64] [operation=...] [clients=...] [out=DIR]
 * </pre>
 *
 * Sequential: one thread, {@code calls} calls per client per round, µs per call. Clients
 * {@code floor-JDK} and {@code floor-ACCP} (raw sign + verify, no network) give the floor each
 * provider's round trip is compared with; {@code ours-before-*} (the baseline build, when
 * {@code run.sh before} made it) joins the default clients. Throughput: {@code threads} threads share one client for
 * {@code seconds} per round, calls per second.
 */
public final class Interleaved {
  static final String FLOOR = "floor-";
  /** A round whose steal share exceeds this percentage is flagged. */
  static final double HEAVY_STEAL_PERCENT = 5.0;
  /** So is a round in which other processes of this machine took more than this share of all CPU. */
  static final double BUSY_OTHERS_PERCENT = 25.0;

  private final Map<String, String> options;
  private final String operation;
  private final List<String> clients;
  private final Path out;
  private final StringBuilder perRound = new StringBuilder();
  private final StringBuilder report = new StringBuilder();
  private int printed;

  private Interleaved(Map<String, String> options, List<String> defaultClients) {
    this.options = options;
    this.operation = options.getOrDefault("operation", SpecFixtures.OPERATIONS[0]);
    this.clients = options.containsKey("clients") ? Arrays.asList(options.get("clients").split(",")) : defaultClients;
    this.out = Path.of(options.getOrDefault("out", "benchmarks/target/results"));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args, "Interleaved sequential|throughput [name=value ...]",
        "sequential", "throughput");
    List<String> clients = new ArrayList<>(List.of(Clients.OFFICIAL, Clients.OURS_JDK, Clients.OURS_ACCP));
    if (Files.isRegularFile(IsolatedClient.classpaths().resolve(IsolatedClient.BEFORE_CLASSPATH))) {
      clients.addAll(List.of(Clients.BEFORE_JDK, Clients.BEFORE_ACCP));
    }
    if (args[0].equals("sequential")) {
      clients.addAll(List.of(FLOOR + Providers.JDK, FLOOR + Providers.ACCP));
      new Interleaved(options, clients).sequential();
    } else {
      new Interleaved(options, clients).throughput();
    }
  }

  private int intOption(String name, int fallback) {
    return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
  }

  /** Every client set up and proved correct (signs, verifies, rejects a wrong key) before measuring. */
  private Map<String, RoundTrip> setUp(SpecFixtures fixtures, TestKeys keys, LoopbackServer server) throws Exception {
    Map<String, RoundTrip> calls = new LinkedHashMap<>();
    for (String client : clients) {
      if (client.startsWith(FLOOR)) {
        FloorBenchmark floor = new FloorBenchmark();
        floor.provider = client.substring(FLOOR.length());
        floor.setUp(); // checks that the right key verifies and a wrong one does not
        calls.put(client, floor::signAndVerify);
      } else {
        RoundTrip call = Clients.call(client, keys, server.baseUri(), fixtures.operation(operation));
        Clients.selfCheck(client, call, server, keys, operation);
        calls.put(client, call);
      }
    }
    return calls;
  }

  private void sequential() throws Exception {
    int rounds = intOption("rounds", 10);
    int callsPerRound = intOption("calls", 2000);
    int warmupCalls = intOption("warmup", 3000);
    SpecFixtures fixtures = SpecFixtures.load();
    TestKeys keys = TestKeys.generate();
    try (LoopbackServer server = new LoopbackServer(fixtures, keys.wechatPay.getPrivate(), TestKeys.TEST_PUBLIC_KEY_ID)) {
      Map<String, RoundTrip> calls = setUp(fixtures, keys, server);
      header("sequential", operation + ", " + rounds + " rounds x " + callsPerRound + " calls per client, "
          + warmupCalls + " warm-up calls per client (in 3 alternating passes)");
      for (int pass = 0; pass < 3; pass++) {
        for (RoundTrip call : calls.values()) {
          for (int i = 0; i < warmupCalls / 3; i++) {
            call.call();
          }
        }
      }
      List<Map<String, Double>> results = new ArrayList<>();
      List<double[]> hosts = new ArrayList<>();
      perRound.append("round\tclient\tus_per_call\tsteal_percent\tothers_percent\tload1\tnew_connections\n");
      for (int round = 0; round < rounds; round++) {
        Map<String, Double> figures = new LinkedHashMap<>();
        HostLoad roundStart = HostLoad.sample();
        for (String client : rotated(calls.keySet(), round)) {
          RoundTrip call = calls.get(client);
          int connections = server.connections();
          HostLoad before = HostLoad.sample();
          long start = System.nanoTime();
          for (int i = 0; i < callsPerRound; i++) {
            call.call();
          }
          double micros = (System.nanoTime() - start) / 1e3 / callsPerRound;
          HostLoad after = HostLoad.sample();
          figures.put(client, micros);
          perRound.append(String.format(Locale.ROOT, "%d\t%s\t%.1f\t%.2f\t%.1f\t%.2f\t%d%n", round, client, micros,
              after.stealPercentSince(before), after.othersPercentSince(before), before.load1,
              server.connections() - connections));
        }
        HostLoad roundEnd = HostLoad.sample();
        hosts.add(new double[] {roundEnd.stealPercentSince(roundStart), roundEnd.othersPercentSince(roundStart)});
        results.add(figures);
        System.out.println("round " + round + ": " + figures + "; " + describe(hosts.get(round), roundStart.load1));
      }
      summarize(results, hosts, "µs per call", false);
    }
  }

  private void throughput() throws Exception {
    int rounds = intOption("rounds", 5);
    int seconds = intOption("seconds", 5);
    int[] threadCounts = Arrays.stream(options.getOrDefault("threads", "1,8,64").split(","))
        .mapToInt(Integer::parseInt).toArray();
    SpecFixtures fixtures = SpecFixtures.load();
    TestKeys keys = TestKeys.generate();
    try (LoopbackServer server = new LoopbackServer(fixtures, keys.wechatPay.getPrivate(), TestKeys.TEST_PUBLIC_KEY_ID)) {
      Map<String, RoundTrip> calls = setUp(fixtures, keys, server);
      perRound.append("threads\tround\tclient\tcalls_per_second\tsteal_percent\tothers_percent\tload1\tnew_connections\n");
      for (int threads : threadCounts) {
        header("throughput, " + threads + " thread(s) sharing one client", operation + ", " + rounds
            + " rounds x " + seconds + " s per client, one warm-up round");
        List<Map<String, Double>> results = new ArrayList<>();
        List<double[]> hosts = new ArrayList<>();
        for (int round = -1; round < rounds; round++) {
          Map<String, Double> figures = new LinkedHashMap<>();
          HostLoad roundStart = HostLoad.sample();
          for (String client : rotated(calls.keySet(), Math.max(round, 0))) {
            int connections = server.connections();
            HostLoad before = HostLoad.sample();
            double perSecond = run(calls.get(client), threads, seconds);
            HostLoad after = HostLoad.sample();
            figures.put(client, perSecond);
            if (round >= 0) {
              perRound.append(String.format(Locale.ROOT, "%d\t%d\t%s\t%.1f\t%.2f\t%.1f\t%.2f\t%d%n", threads, round,
                  client, perSecond, after.stealPercentSince(before), after.othersPercentSince(before), before.load1,
                  server.connections() - connections));
            }
          }
          if (round < 0) {
            continue; // warm-up
          }
          HostLoad roundEnd = HostLoad.sample();
          hosts.add(new double[] {roundEnd.stealPercentSince(roundStart), roundEnd.othersPercentSince(roundStart)});
          results.add(figures);
          System.out.println(threads + " threads, round " + round + ": " + figures + "; "
              + describe(hosts.get(round), roundStart.load1));
        }
        summarize(results, hosts, "calls per second", true);
      }
    }
  }

  /** Calls per second of {@code threads} threads calling one shared client for {@code seconds}. */
  private static double run(RoundTrip call, int threads, int seconds) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong done = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        ready.countDown();
        try {
          go.await();
          long mine = 0;
          while (!stop.get()) {
            call.call();
            mine++;
          }
          done.addAndGet(mine);
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "caller-" + t);
      workers.add(worker);
      worker.start();
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    for (Thread worker : workers) {
      worker.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (failure.get() != null) {
      throw new IllegalStateException("a call failed while measuring throughput", failure.get());
    }
    return done.get() / elapsed;
  }

  static List<String> rotated(java.util.Collection<String> names, int round) {
    List<String> order = new ArrayList<>(names);
    java.util.Collections.rotate(order, -(round % order.size()));
    return order;
  }

  private void header(String title, String settings) {
    report.append("\n## ").append(title).append("\n\n").append(settings).append(".\n\n");
  }

  /**
   * Per client the median of its per-round figures; per client against the official SDK (and, for
   * ours, against the floor of the same provider) the median of the per-round ratios. Rounds with
   * heavy steal or busy neighbours are listed and the ratios are also given without them.
   */
  private static boolean noisy(double[] host) {
    return host[0] > HEAVY_STEAL_PERCENT || host[1] > BUSY_OTHERS_PERCENT;
  }

  private static String describe(double[] host, double load1) {
    return String.format(Locale.ROOT, "steal %.1f%%, other processes %.0f%% of the CPU, load %.2f%s", host[0], host[1],
        load1, noisy(host) ? "  FLAGGED" : "");
  }

  private void summarize(List<Map<String, Double>> results, List<double[]> hosts, String unit, boolean higherIsBetter)
      throws IOException {
    report.append("| client | ").append(unit).append(": median (IQR, range) |\n|---|---|\n");
    for (String client : results.get(0).keySet()) {
      List<Double> values = new ArrayList<>();
      results.forEach(r -> values.add(r.get(client)));
      report.append("| ").append(client).append(" | ").append(Spread.of(values).format("%.1f")).append(" |\n");
    }
    List<Integer> heavy = new ArrayList<>();
    for (int i = 0; i < hosts.size(); i++) {
      if (noisy(hosts.get(i))) {
        heavy.add(i);
      }
    }
    report.append("\n| ratio (per round) | median (IQR, range) | rounds where the first is slower |")
        .append(heavy.isEmpty() ? "" : " median without flagged rounds |")
        .append("\n|---|---|---|").append(heavy.isEmpty() ? "" : "---|").append('\n');
    for (String client : results.get(0).keySet()) {
      if (!client.startsWith("ours")) {
        continue;
      }
      String provider = client.substring(client.lastIndexOf('-') + 1);
      String before = client.startsWith("ours-before") ? null : "ours-before-" + provider;
      for (String base : new String[] {Clients.OFFICIAL, FLOOR + provider, before}) {
        if (base == null || !results.get(0).containsKey(base)) {
          continue;
        }
        List<Double> ratios = new ArrayList<>();
        List<Double> calm = new ArrayList<>();
        int slower = 0;
        for (int i = 0; i < results.size(); i++) {
          double ratio = results.get(i).get(client) / results.get(i).get(base);
          ratios.add(ratio);
          if (!heavy.contains(i)) {
            calm.add(ratio);
          }
          if (higherIsBetter ? ratio < 1 : ratio > 1) {
            slower++;
          }
        }
        report.append("| ").append(client).append(" / ").append(base).append(" | ")
            .append(Spread.of(ratios).format("%.2f")).append(" | ").append(slower).append(" of ").append(ratios.size())
            .append(" |");
        if (!heavy.isEmpty()) {
          report.append(calm.isEmpty() ? " (all rounds flagged) |" : String.format(Locale.ROOT, " %.2f |", Spread.of(calm).median));
        }
        report.append('\n');
      }
    }
    List<Double> steal = new ArrayList<>();
    List<Double> others = new ArrayList<>();
    hosts.forEach(h -> {
      steal.add(h[0]);
      others.add(h[1]);
    });
    report.append(String.format(Locale.ROOT, "%nPer round: steal median %.1f%% (max %.1f%%); other processes median %.0f%%"
        + " (max %.0f%%) of the CPU. Flagged (steal > %.0f%% or others > %.0f%%): %s.%n",
        Spread.of(steal).median, Spread.of(steal).max, Spread.of(others).median, Spread.of(others).max,
        HEAVY_STEAL_PERCENT, BUSY_OTHERS_PERCENT, heavy.isEmpty() ? "none" : "rounds " + heavy));
    write();
  }

  private void write() throws IOException {
    Files.createDirectories(out);
    String name = "interleaved-" + (perRound.toString().startsWith("threads") ? "throughput" : "sequential")
        + "-" + operation;
    Files.write(out.resolve(name + ".tsv"), perRound.toString().getBytes(StandardCharsets.UTF_8));
    Files.write(out.resolve(name + ".md"), ("# " + name + "\n\n" + Machine.describe() + report)
        .getBytes(StandardCharsets.UTF_8));
    System.out.print(report.substring(printed));
    printed = report.length();
  }
}
