package io.github.wechatpaypartner.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
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
  private final SandboxKeys keys;
  private final Path clientFiles;
  private final boolean temporaryFiles;
  private final MarketingState state;
  private final Notifier notifier;
  private final AtomicReference<URI> notifyUrl;
  /** Armed rules by the id the control plane names them with, in arming order. */
  private final Map<Integer, FaultRule> faults = new LinkedHashMap<>();
  private final AtomicInteger faultIds = new AtomicInteger();
  /** The most recent exchanges by sequence number: bounded, and an answer's note replaces its entry without a scan. */
  private final LinkedHashMap<Long, RecordedExchange> exchanges;
  private final List<String> offSpec = new ArrayList<>();
  private final OffsetClock clock = new OffsetClock();
  private final Coverage coverage;
  private final ControlPlane control;
  private final String controlToken;
  private final HttpListener server;
  private final Thread shutdownHook;
  private boolean closed;

  /** Refused requests keep this much of their body in the record: enough to see what was sent, not a flood. */
  static final int REFUSED_BODY_KEPT = 4096;
  /** Most offSpec() entries kept: a broken spec could otherwise add one per answer forever. */
  private static final int OFF_SPEC_KEPT = 1000;
  /** The request a service thread is handling, and the armed fault it met: what a notification it makes was caused by. */
  private static final ThreadLocal<HttpListener.Request> CURRENT_REQUEST = new ThreadLocal<>();
  private static final ThreadLocal<FaultRule> CURRENT_RULE = new ThreadLocal<>();

  private Sandbox(SandboxSettings settings) throws IOException {
    this.settings = settings;
    this.exchanges = new LinkedHashMap<>() {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, RecordedExchange> eldest) {
        return size() > settings.recordSize;
      }
    };
    // Key generation (when needed) runs beside reading the spec and preparing the validator.
    CompletableFuture<SandboxCredentials> keys = settings.credentials != null
        ? CompletableFuture.completedFuture(settings.credentials)
        : CompletableFuture.supplyAsync(SandboxCredentials::generate);
    this.spec = settings.spec == null ? ServiceSpec.bundled() : ServiceSpec.read(settings.spec);
    SpecValidator validator = new SpecValidator(spec);
    validator.prepare();
    this.credentials = keys.join();
    this.coverage = new Coverage(spec);
    this.temporaryFiles = settings.clientFilesDir == null;
    this.clientFiles = temporaryFiles ? Files.createTempDirectory("wechatpay-sandbox-") : settings.clientFilesDir;
    this.notifyUrl = new AtomicReference<>(settings.notifyUrl);
    this.keys = new SandboxKeys(credentials, clock);
    this.keys.mode(settings.keyMode);
    this.notifier = new Notifier(spec, credentials, this.keys::notificationSigner, notifyUrl::get, settings.timeScale,
        validator, this::offSpec, clock, settings.recordSize, coverage::notification);
    this.state = new MarketingState(spec, settings.seed == null ? SeedData.fromSpec(spec) : SeedData.read(settings.seed),
        settings.repeatedRequestNo, settings.couponReceiptOnNewBundle,
        (event, resource) -> notifier.send(event, resource, cause()));
    settings.faults.forEach(this::arm);
    boolean loopback = InetAddress.getByName(settings.host).isLoopbackAddress();
    this.controlToken = settings.controlToken != null ? settings.controlToken
        : loopback ? null : GeneratedCredentials.randomAlphanumeric(32);
    this.control = new ControlPlane(this, controlToken);
    ServiceHandler service = new ServiceHandler(spec, validator, credentials, this.keys, state, this::takeFault, this::record,
        settings.rateLimit, clock);
    this.server = new HttpListener(settings.host, settings.port,
        new HttpListener.Limits(settings.maxBodyBytes, settings.maxConnections), request -> {
          if (ControlPlane.owns(request.rawPath)) {
            HttpListener.Response answer = control.handle(request);
            if (settings.requestLog != null) {
              settings.requestLog.accept(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                  + " control " + request.method + " " + request.rawPath + " -> " + answer.status);
            }
            return answer;
          }
          CURRENT_REQUEST.set(request);
          try {
            return service.handle(request);
          } finally {
            CURRENT_REQUEST.remove();
            CURRENT_RULE.remove();
          }
        });
    writeDescription();
    Files.writeString(clientFiles.resolve(SEED_FILE), state.seed().toPrettyString() + "\n", StandardCharsets.UTF_8);
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
   * What a program in any language needs to use this sandbox, as JSON (the {@code sandbox.json}
   * beside the client files; {@code sandbox/README.md} documents the fields): URL, port, control
   * plane, mchid, serial, public key id, APIv3 key, file paths.
   */
  public ObjectNode description() {
    ObjectNode d = JsonNodeFactory.instance.objectNode();
    d.put("url", uri().toString());
    d.put("host", settings.host);
    d.put("port", server.port());
    d.put("control_url", uri() + ControlPlane.PREFIX);
    if (controlToken != null) {
      d.put("control_token", controlToken);
    }
    d.put("spec_version", spec.version());
    d.put("pid", ProcessHandle.current().pid());
    d.setAll(credentials.description(clientFiles));
    ((ObjectNode) d.get("files")).put("seed", clientFiles.resolve(SEED_FILE).toAbsolutePath().toString());
    return d;
  }

  /** Writes the client files and {@code sandbox.json} (again after a key rotation). */
  private void writeDescription() {
    credentials.writeFiles(clientFiles, description());
  }

  /** Replaces the WeChat Pay key (a new public key id; {@code pub_key.pem} and {@code sandbox.json} rewritten). Returns the new id. */
  public String rotateWechatpayKey() {
    String id = credentials.rotateWechatpayKey();
    writeDescription();
    return id;
  }

  /**
   * Moves the sandbox's clock by {@code offset} from the system's: requests are judged against it
   * (the 5-minute window) and answers and notifications are stamped with it.
   */
  public void clockOffset(Duration offset) {
    clock.offset(offset);
  }

  public Duration clockOffset() {
    return clock.offset();
  }

  /** The contract coverage of the client(s) served so far, as JSON (see {@code sandbox/README.md}). */
  public ObjectNode coverage() {
    return coverage.json();
  }

  /** The same coverage as an HTML page. */
  public String coverageHtml() {
    return coverage.html();
  }

  /** Writes {@code coverage.json} and {@code coverage.html} into {@code dir}; returns the JSON file. */
  public Path writeCoverage(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve("coverage.html"), coverage.htmlBytes());
      return Files.write(dir.resolve("coverage.json"), coverage.jsonBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the coverage report to " + dir, e);
    }
  }

  /** Open HTTP connections now (tests of the connection cap). */
  public int openConnections() {
    return server.openConnections();
  }

  /**
   * The keys answers and notifications are signed with: their mode (public key, platform
   * certificates served by {@code GET /v3/certificates}, or both during a switchover) and the
   * certificate rotation, on demand.
   */
  public SandboxKeys keys() {
    return keys;
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

  /** State back to the seed, records and notifications cleared, faults disarmed, the clock back to the system's. */
  public void reset() {
    state.reset();
    clearExchanges();
    notifier.clear();
    disarmAll();
    clock.offset(Duration.ZERO);
  }

  // ------------------------------------------------------------------ records

  /** The recent exchanges (the last {@code recordSize}, default 1000), in arrival order. */
  public List<RecordedExchange> exchanges() {
    synchronized (exchanges) {
      return exchanges.values().stream().sorted(Comparator.comparingLong(e -> e.sequence)).collect(Collectors.toList());
    }
  }

  /** The recent exchanges of {@code operationId} (any when null) whose body has {@code outRequestNo} (any when null). */
  public List<RecordedExchange> exchanges(String operationId, String outRequestNo) {
    return exchanges().stream().filter(e -> operationId == null || operationId.equals(e.operationId))
        .filter(e -> outRequestNo == null || outRequestNo.equals(e.outRequestNo())).collect(Collectors.toList());
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
    RecordedExchange kept = exchange.refusal == null ? exchange : exchange.truncated(REFUSED_BODY_KEPT);
    boolean replaced;
    synchronized (exchanges) {
      replaced = exchanges.put(kept.sequence, kept) != null;
    }
    if (replaced) {
      return;
    }
    coverage.exchange(kept);
    if (settings.requestLog != null) {
      settings.requestLog.accept(logLine(kept));
    }
    if (!exchange.answerViolations.isEmpty()) {
      offSpec(exchange.toString());
    }
    LOG.log(System.Logger.Level.DEBUG, "{0}", exchange);
  }

  private void offSpec(String what) {
    LOG.log(System.Logger.Level.WARNING, "the sandbox sent something that breaks the spec: {0}", what);
    synchronized (offSpec) {
      if (offSpec.size() < OFF_SPEC_KEPT) {
        offSpec.add(what);
      }
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
    armWithId(rule);
    return rule;
  }

  /** Arms {@code rule}; returns the id {@link #disarm(int)} and the control plane name it by. */
  public int armWithId(FaultRule rule) {
    if (!FaultRule.ANY_OPERATION.equals(rule.operationId())) {
      spec.operation(rule.operationId());
    }
    if (rule.fault().kind() == Fault.Kind.ERROR_EXAMPLE) {
      spec.errorExample(spec.operations().get(0), rule.fault().parameter("name"));
    }
    int id = faultIds.incrementAndGet();
    synchronized (faults) {
      faults.put(id, rule);
    }
    return id;
  }

  /** The armed rules, spent ones left out. */
  public List<FaultRule> armedFaults() {
    return List.copyOf(armedFaultsById().values());
  }

  /** The armed rules by id, in arming order, spent ones left out. */
  public Map<Integer, FaultRule> armedFaultsById() {
    synchronized (faults) {
      faults.values().removeIf(FaultRule::spent);
      return Collections.unmodifiableMap(new LinkedHashMap<>(faults));
    }
  }

  /** Disarms the rule {@link #armWithId} returned {@code id} for; false when no such rule is armed. */
  public boolean disarm(int id) {
    synchronized (faults) {
      return faults.remove(id) != null;
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
      for (FaultRule rule : faults.values()) {
        if (rule.fires(operationId)) {
          CURRENT_RULE.set(rule);
          return rule.fault();
        }
      }
      return null;
    }
  }

  /** What the request being handled on this thread is, for the notifications it makes; null off a service thread. */
  private static String cause() {
    HttpListener.Request request = CURRENT_REQUEST.get();
    if (request == null) {
      return null;
    }
    String outRequestNo = RecordedExchange.outRequestNoOf(request.body);
    String fault = request.header(Fault.HEADER);
    FaultRule rule = CURRENT_RULE.get();
    return request.method + " " + request.rawPath + (outRequestNo == null ? "" : " (out_request_no " + outRequestNo + ")")
        + (fault != null ? " with fault " + fault : rule != null ? " with fault " + rule.fault() : "");
  }

  /** One line of the request log: time, operation, status, fault, Request-ID, refusal. */
  static String logLine(RecordedExchange e) {
    return e.received.truncatedTo(java.time.temporal.ChronoUnit.MILLIS) + " "
        + (e.operationId == null ? e.method + " " + e.path : e.operationId) + " -> "
        + (e.status == RecordedExchange.NO_ANSWER ? "no answer" : Integer.toString(e.status))
        + (e.fault == null ? "" : " fault " + e.fault)
        + (e.requestId() == null ? "" : " Request-ID " + e.requestId())
        + (e.refusal == null ? "" : " [" + (e.refusal.length() > 160 ? e.refusal.substring(0, 160) + "..." : e.refusal) + "]");
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

  /**
   * Sends a notification of {@code eventType} (any of the spec's {@code x-webhooks}) now: the spec's
   * resource example with {@code fields} set over it (e.g. {@code audit_state: REJECTED}). A
   * resource that breaks the event's schema is refused with an IllegalArgumentException naming
   * the field.
   */
  public SentNotification sendNotification(String eventType, ObjectNode fields) {
    ObjectNode resource = spec.webhook(eventType).resourceExample().deepCopy();
    if (fields != null) {
      resource.setAll(fields);
    }
    List<String> violations = notifier.resourceViolations(eventType, resource);
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("the " + eventType + " resource breaks the spec: " + violations);
    }
    return notifier.send(eventType, resource, "sent on demand");
  }

  /** Delivers notification {@code id} once more, byte for byte, as the service sometimes does. */
  public SentNotification duplicateNotification(String id) {
    SentNotification original = notifications().stream().filter(n -> n.id.equals(id) && n.duplicateOf == null)
        .findFirst().orElseThrow(() -> new java.util.NoSuchElementException("no notification " + id));
    return notifier.duplicate(original);
  }

  /** The resend schedule of {@code eventType} as the spec states it (the time scale divides it). */
  public ServiceSpec.RetrySchedule notificationSchedule(String eventType) {
    return spec.webhook(eventType).retrySchedule();
  }

  /** The event types the spec's {@code x-webhooks} declare. */
  public List<String> eventTypes() {
    List<String> events = new ArrayList<>();
    spec.tree().path("x-webhooks").fieldNames().forEachRemaining(events::add);
    return events;
  }

  /** Divides the resend schedule (the {@code timeScale} setting). */
  public double timeScale() {
    return settings.timeScale;
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
    if (settings.reportDir != null) {
      try {
        writeCoverage(settings.reportDir);
      } catch (UncheckedIOException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot write the coverage report: {0}", e.getMessage());
      }
    }
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
