package io.github.wechatpaypartner.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A local WeChat Pay for the spec's operations, and the handle to it: its address and credentials,
 * its state, what it received and answered, the notifications it sent, and the faults to arm.
 * Start with {@link #start(SandboxSettings)}, stop with {@link #close()} (idempotent; a JVM shutdown
 * hook does it too). Thread-safe.
 *
 * <pre>{@code
 * try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults())) {
 *   sandbox.arm(FaultRule.next(1, "addStockBundle", Fault.gateway(503)));
 *   ... a client aimed at sandbox.uri(), keys from sandbox.clientFiles() ...
 *   sandbox.exchanges("addStockBundle");   // 503, then the retry's 200
 * }
 * }</pre>
 */
public final class Sandbox implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Sandbox.class.getName());
  /** The seed the sandbox started from, beside the client's files, to edit and pass back with a seed setting. */
  public static final String SEED_FILE = "seed.json";

  private final SandboxSettings settings;
  private final ServiceSpec spec;
  private final SandboxCredentials credentials;
  private final Path clientFiles;
  private final boolean temporaryFiles;
  private final MarketingState state;
  private final Notifier notifier;
  private final AtomicReference<URI> notifyUrl;
  private final List<FaultRule> faults = new ArrayList<>();
  private final List<RecordedExchange> exchanges = new ArrayList<>();
  private final List<String> offSpec = new ArrayList<>();
  private final HttpListener server;
  private final Thread shutdownHook;
  private boolean closed;

  private Sandbox(SandboxSettings settings) throws IOException {
    this.settings = settings;
    // Key generation (when needed) runs beside reading the spec and preparing the validator.
    CompletableFuture<SandboxCredentials> keys = settings.credentials != null
        ? CompletableFuture.completedFuture(settings.credentials)
        : CompletableFuture.supplyAsync(SandboxCredentials::generate);
    this.spec = settings.spec == null ? ServiceSpec.bundled() : ServiceSpec.read(settings.spec);
    SpecValidator validator = new SpecValidator(spec);
    validator.prepare();
    this.credentials = keys.join();
    this.temporaryFiles = settings.clientFilesDir == null;
    this.clientFiles = credentials.writeFiles(temporaryFiles
        ? Files.createTempDirectory("wechatpay-sandbox-") : settings.clientFilesDir);
    this.notifyUrl = new AtomicReference<>(settings.notifyUrl);
    this.notifier = new Notifier(spec, credentials, notifyUrl::get, settings.timeScale, validator, this::offSpec);
    this.state = new MarketingState(spec, settings.seed == null ? SeedData.fromSpec(spec) : SeedData.read(settings.seed),
        settings.repeatedRequestNo, settings.couponReceiptOnNewBundle, notifier::send);
    Files.writeString(clientFiles.resolve(SEED_FILE), state.seed().toPrettyString() + "\n", StandardCharsets.UTF_8);
    settings.faults.forEach(this::arm);
    this.server = new HttpListener(settings.host, settings.port,
        new ServiceHandler(spec, validator, credentials, state, this::takeFault, this::record, settings.rateLimit));
    this.shutdownHook = new Thread(this::stop, "sandbox-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a sandbox; it listens when this returns. */
  public static Sandbox start(SandboxSettings settings) {
    try {
      return new Sandbox(settings);
    } catch (IOException e) {
      throw new UncheckedIOException("the sandbox cannot start on " + settings.host + ":" + settings.port, e);
    }
  }

  /** {@code http://HOST:PORT}, no trailing slash: the host to give the client. */
  public URI uri() {
    return URI.create("http://" + settings.host + ":" + server.port());
  }

  public SandboxCredentials credentials() {
    return credentials;
  }

  /**
   * The folder holding {@code apiclient_key.pem}, {@code apiclient_cert.pem}, {@code pub_key.pem},
   * {@code apiv3_key.txt}, and {@link #SEED_FILE}.
   */
  public Path clientFiles() {
    return clientFiles;
  }

  public ServiceSpec spec() {
    return spec;
  }

  /**
   * What the sandbox serves, for its banner: the spec's version, a short hash of the document (an
   * edit shows even when the version stays) and each operation, those with modelled state marked
   * {@code *}, the others answered from the spec's examples.
   */
  public String specSummary() {
    StringBuilder s = new StringBuilder("Spec ").append(spec.version()).append(" sha256:").append(spec.shortHash())
        .append(" (").append(spec.source()).append("), ").append(spec.operations().size()).append(" operations (")
        .append("* state kept; the others answered from the spec's examples):");
    for (ServiceSpec.Operation op : spec.operations()) {
      s.append("\n  ").append(state.models(op.id) ? "* " : "  ").append(op.id).append("  ").append(op.method)
          .append(' ').append(op.pathTemplate);
    }
    return s.toString();
  }

  /** Coupons, stocks, bundles and plans, to read or to prepare. */
  public MarketingState state() {
    return state;
  }

  /** State back to the seed, records and notifications cleared, faults disarmed. */
  public void reset() {
    state.reset();
    clearExchanges();
    notifier.clear();
    disarmAll();
  }

  // ------------------------------------------------------------------ records

  /** Every exchange so far, in arrival order. */
  public List<RecordedExchange> exchanges() {
    synchronized (exchanges) {
      return exchanges.stream().sorted(Comparator.comparingLong(e -> e.sequence)).collect(Collectors.toList());
    }
  }

  /** The exchanges of one operation, in arrival order. */
  public List<RecordedExchange> exchanges(String operationId) {
    return exchanges().stream().filter(e -> operationId.equals(e.operationId)).collect(Collectors.toList());
  }

  /** Waits until {@code count} exchanges of {@code operationId} are recorded (a slow answer is recorded when it leaves). */
  public List<RecordedExchange> awaitExchanges(String operationId, int count, Duration timeout) {
    return await(() -> exchanges(operationId), all -> all.size() >= count, timeout,
        count + " exchanges of " + operationId);
  }

  public RecordedExchange lastExchange() {
    List<RecordedExchange> all = exchanges();
    if (all.isEmpty()) {
      throw new IllegalStateException("the sandbox has received no request");
    }
    return all.get(all.size() - 1);
  }

  public void clearExchanges() {
    synchronized (exchanges) {
      exchanges.clear();
    }
  }

  /** Adds an exchange, or replaces the one with its sequence number (a note added after the answer). */
  private void record(RecordedExchange exchange) {
    synchronized (exchanges) {
      if (exchanges.removeIf(e -> e.sequence == exchange.sequence)) {
        exchanges.add(exchange);
        return;
      }
      exchanges.add(exchange);
    }
    if (!exchange.answerViolations.isEmpty()) {
      offSpec(exchange.toString());
    }
    LOG.log(System.Logger.Level.DEBUG, "{0}", exchange);
  }

  private void offSpec(String what) {
    LOG.log(System.Logger.Level.WARNING, "the sandbox sent something that breaks the spec: {0}", what);
    synchronized (offSpec) {
      offSpec.add(what);
    }
  }

  /**
   * Every answer and notification the sandbox sent that broke the spec's schemas, since it started
   * ({@link #reset()} keeps them): empty unless the sandbox has a bug or serves a spec it cannot meet.
   */
  public List<String> offSpec() {
    synchronized (offSpec) {
      return List.copyOf(offSpec);
    }
  }

  // ------------------------------------------------------------------ faults

  /** Arms {@code rule}; returns it (its {@link FaultRule#fired()} counts the calls it answered). */
  public FaultRule arm(FaultRule rule) {
    if (!FaultRule.ANY_OPERATION.equals(rule.operationId())) {
      spec.operation(rule.operationId());
    }
    if (rule.fault().kind() == Fault.Kind.ERROR_EXAMPLE) {
      spec.errorExample(spec.operations().get(0), rule.fault().parameter("name"));
    }
    synchronized (faults) {
      faults.add(rule);
    }
    return rule;
  }

  /** The armed rules, spent ones left out. */
  public List<FaultRule> armedFaults() {
    synchronized (faults) {
      faults.removeIf(FaultRule::spent);
      return List.copyOf(faults);
    }
  }

  public void disarmAll() {
    synchronized (faults) {
      faults.clear();
    }
  }

  /** The fault of a call of {@code operationId}: the first armed rule that fires, in arming order. */
  private Fault takeFault(String operationId) {
    synchronized (faults) {
      for (FaultRule rule : faults) {
        if (rule.fires(operationId)) {
          return rule.fault();
        }
      }
      return null;
    }
  }

  // ------------------------------------------------------------------ notifications

  /** Where notifications go from now on (null: recorded, not sent). */
  public void notifyUrl(URI url) {
    notifyUrl.set(url);
  }

  public Optional<URI> notifyUrl() {
    return Optional.ofNullable(notifyUrl.get());
  }

  /** Every notification so far, in order. */
  public List<SentNotification> notifications() {
    return notifier.sent();
  }

  /**
   * Waits until at least {@code count} notifications exist and each is finished (delivered, out of
   * retries, or not to be sent); returns them all.
   */
  public List<SentNotification> awaitNotifications(int count, Duration timeout) {
    return await(notifier::sent, all -> all.size() >= count && all.stream().allMatch(SentNotification::finished),
        timeout, count + " finished notifications");
  }

  private static <T> List<T> await(java.util.function.Supplier<List<T>> current, java.util.function.Predicate<List<T>> done,
      Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<T> all = current.get();
      if (done.test(all)) {
        return all;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("waited " + timeout + " for " + what + "; have " + all);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  public void clearNotifications() {
    notifier.clear();
  }

  /** A simulated user receives a coupon of the stock (PRODUCT_COUPON_SP.SEND follows); the notification's resource. */
  public JsonNode receiveCoupon(String productCouponId, String stockId) {
    ObjectNode resource = state.receiveCoupon(productCouponId, stockId);
    return resource;
  }

  // ------------------------------------------------------------------ stop

  /** Stops the server, the notifier and their threads, and deletes temporary client files. Idempotent. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs stop() itself
    }
  }

  private synchronized void stop() {
    if (closed) {
      return;
    }
    closed = true;
    server.close();
    notifier.close();
    if (temporaryFiles) {
      try (Stream<Path> files = Files.walk(clientFiles)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot delete " + clientFiles, e);
      }
    }
  }

  @Override
  public String toString() {
    return "Sandbox[" + uri() + ", spec " + spec.source() + " " + spec.version() + ", " + credentials + "]";
  }
}
