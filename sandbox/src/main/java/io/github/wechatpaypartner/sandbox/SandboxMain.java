package io.github.wechatpaypartner.sandbox;

import io.github.wechatpaypartner.sandbox.MarketingState.RepeatedRequestNo;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar wechatpay-partner-sandbox-VERSION-all.jar [options]}: starts a sandbox, writes the
 * client's files, prints the URL and a ready client, and runs until Ctrl-C or SIGTERM, which stop
 * everything it started (it starts no other process).
 */
public final class SandboxMain {
  static final String DEFAULT_DIR = "wechatpay-sandbox";
  /** Prints {@code sandbox.json}'s description as one JSON line instead of the banner. */
  static final String PRINT_JSON = "--print-json";
  /** Set by the Maven profile so the files land under target/, not in the folder Maven ran from. */
  static final String DEFAULT_DIR_PROPERTY = "sandbox.defaultDir";

  private SandboxMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    Instant begun = Instant.now();
    // networknt logs through SLF4J; without a binding SLF4J would print warnings at start.
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    java.util.List<String> options = new java.util.ArrayList<>(java.util.List.of(args));
    boolean printJson = options.remove(PRINT_JSON);
    SandboxSettings settings;
    try {
      settings = settingsFrom(options.toArray(new String[0]), System.out);
    } catch (IllegalArgumentException e) {
      System.err.println("wechatpay-sandbox: " + e.getMessage());
      System.err.println("Run with --help for the options.");
      System.exit(2);
      return;
    }
    if (settings == null) {
      return;
    }
    Sandbox sandbox;
    try {
      sandbox = Sandbox.start(settings);
    } catch (RuntimeException e) {
      System.err.println("wechatpay-sandbox: " + e.getMessage()
          + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
      System.exit(1);
      return;
    }
    System.out.println(printJson ? sandbox.description().toString() : banner(sandbox, Duration.between(begun, Instant.now())));
    System.out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sandbox.close();
      stopped.countDown();
      System.out.flush();
      // SIGTERM and Ctrl-C end the JVM with 143 and 130; the sandbox stopped cleanly, so say so with 0
      // (scripts and service managers read anything else as a crash). Everything is closed by now.
      Runtime.getRuntime().halt(0);
    }, "sandbox-main-shutdown"));
    stopped.await();
  }

  /**
   * Settings from the command line ({@code --help} lists the options); null when only help was
   * asked for, which goes to {@code out}. A wrong option is an IllegalArgumentException naming it.
   */
  public static SandboxSettings settingsFrom(String[] args, PrintStream out) {
    SandboxSettings.Builder b = SandboxSettings.builder();
    Deque<String> rest = new ArrayDeque<>(java.util.List.of(args));
    Path dir = defaultFolder();
    boolean quiet = false;
    boolean newKeys = false;
    String mchid = null;
    Path merchantCert = null;
    while (!rest.isEmpty()) {
      String option = rest.pop();
      switch (option) {
        case "--help":
        case "-h":
          out.print(help());
          return null;
        case "--port":
          b.port(integer(option, value(option, rest)));
          break;
        case "--host":
          b.host(value(option, rest));
          break;
        case "--dir":
          dir = Paths.get(value(option, rest));
          break;
        case "--new-keys":
          newKeys = true;
          break;
        case "--mchid":
          mchid = value(option, rest);
          break;
        case "--merchant-cert":
          merchantCert = Paths.get(value(option, rest));
          break;
        case "--notify-url":
          b.notifyUrl(URI.create(value(option, rest)));
          break;
        case "--time-scale":
          try {
            b.timeScale(Double.parseDouble(value(option, rest)));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--time-scale takes a positive number");
          }
          break;
        case "--repeated-request-no":
          try {
            b.repeatedRequestNo(RepeatedRequestNo.valueOf(value(option, rest).toUpperCase(Locale.ROOT)));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--repeated-request-no takes REPLAY or PROCESS_AGAIN");
          }
          break;
        case "--seed":
          b.seed(Paths.get(value(option, rest)));
          break;
        case "--fault":
          b.fault(FaultRule.parse(value(option, rest)));
          break;
        case "--no-rate-limit":
          b.rateLimit(false);
          break;
        case "--no-coupon-receipt":
          b.couponReceiptOnNewBundle(false);
          break;
        case "--spec":
          b.spec(Paths.get(value(option, rest)));
          break;
        case "--quiet":
          quiet = true;
          break;
        case "--report":
          b.reportDir(Paths.get(value(option, rest)).toAbsolutePath());
          break;
        case "--record-size":
          b.recordSize(integer(option, value(option, rest)));
          break;
        case "--max-body":
          b.maxBodyBytes(integer(option, value(option, rest)));
          break;
        case "--max-connections":
          b.maxConnections(integer(option, value(option, rest)));
          break;
        case "--control-token":
          b.controlToken(value(option, rest));
          break;
        case "--key-mode":
          String mode = value(option, rest);
          try {
            b.keyMode(SandboxKeys.Mode.valueOf(mode));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--key-mode takes PUBLIC_KEY, PLATFORM_CERTIFICATE or BOTH");
          }
          break;
        default:
          throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if ((mchid == null) != (merchantCert == null)) {
      throw new IllegalArgumentException("--mchid and --merchant-cert go together");
    }
    SandboxCredentials credentials = merchantCert != null
        ? SandboxCredentials.trustingMerchant(mchid, merchantCert)
        : newKeys ? SandboxCredentials.generate()
        : SandboxCredentials.load(dir).orElseGet(SandboxCredentials::generate);
    return b.credentials(credentials).clientFilesDir(dir.toAbsolutePath()).requestLog(quiet ? null : out::println)
        .build();
  }

  /**
   * Outside any working tree, so keys never land in a repository: {@code $XDG_CACHE_HOME} or
   * {@code ~/.cache}, then {@code wechatpay-sandbox} (the Maven profile sets target/ instead).
   */
  public static Path defaultFolder() {
    String set = System.getProperty(DEFAULT_DIR_PROPERTY);
    if (set != null) {
      return Paths.get(set);
    }
    String cache = System.getenv("XDG_CACHE_HOME");
    Path base = cache != null && !cache.isBlank() ? Paths.get(cache) : Paths.get(System.getProperty("user.home"), ".cache");
    return base.resolve(DEFAULT_DIR);
  }

  private static String value(String option, Deque<String> rest) {
    if (rest.isEmpty()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return rest.pop();
  }

  private static int integer(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " takes a number, got '" + value + "'");
    }
  }

  /** The {@code --help} text: every option and every fault. */
  public static String help() {
    StringBuilder s = new StringBuilder();
    s.append("WeChat Pay sandbox: the spec's operations on this machine, signed answers, state, notifications,\n")
        .append("faults on demand. Generated keys only: nothing here works against the real service.\n\n")
        .append("Options:\n")
        .append("  --port N                   port (default 0: a free one, printed at start)\n")
        .append("  --host ADDRESS             address to bind (default 127.0.0.1)\n")
        .append("  --dir DIR                  where the client's files and sandbox.json go (default ")
        .append(defaultFolder()).append(");\n")
        .append("                             keys an earlier run wrote there are reused\n")
        .append("  --new-keys                 generate new keys even if DIR holds some\n")
        .append("  --mchid ID --merchant-cert apiclient_cert.pem\n")
        .append("                             trust your own merchant certificate (your key never leaves you)\n")
        .append("  --notify-url URL           send DELIVERY_PLAN.CHANGE and PRODUCT_COUPON_SP.SEND there\n")
        .append("  --time-scale X             divide the notification resend schedule by X (default 1)\n")
        .append("  --repeated-request-no REPLAY|PROCESS_AGAIN\n")
        .append("                             a reused out_request_no on createDeliveryPlan/updateStockBudget:\n")
        .append("                             REPLAY (default) answers the same request as the first time and\n")
        .append("                             refuses a different one; PROCESS_AGAIN treats it as new\n")
        .append("  --seed FILE                coupons, stocks, bundles to start with (JSON; default: the spec's\n")
        .append("                             examples, written to DIR/seed.json)\n")
        .append("  --fault OPERATION:FAULT[:next=N|:every=N]\n")
        .append("                             arm a fault from the start (OPERATION * for all; repeatable),\n")
        .append("                             e.g. addStockBundle:GATEWAY_503:next=1; quote it in a shell\n")
        .append("                             when it has a ';': '--fault' 'addStockBundle:RATE_LIMITED;retry-after=1:next=1'\n")
        .append("  --no-rate-limit            ignore x-wechatpay-rate-limit\n")
        .append("  --no-coupon-receipt        no simulated user receives a coupon of each new bundle\n")
        .append("  --spec FILE                serve another OpenAPI file (default: the bundled spec)\n")
        .append("  --quiet                    no line per request on stdout\n")
        .append("  --print-json               print sandbox.json (URL, port, credentials, files) as one JSON\n")
        .append("                             line instead of the banner\n")
        .append("  --report DIR               write coverage.json and coverage.html there when stopping\n")
        .append("  --record-size N            exchanges and notifications kept (default 1000)\n")
        .append("  --max-body BYTES           larger request bodies are refused with 413 (default 1048576)\n")
        .append("  --max-connections N        open connections at most (default 64); the longest idle one\n")
        .append("                             is closed to make room\n")
        .append("  --control-token TOKEN      bearer token of the control plane (/sandbox/v1); generated\n")
        .append("                             when --host is not a loopback address\n")
        .append("  --key-mode MODE            PUBLIC_KEY (default), PLATFORM_CERTIFICATE (served by GET /v3/certificates)\n")
        .append("                             or BOTH (the switchover: the key the request's Wechatpay-Serial names)\n")
        .append("  --help                     this text\n\n")
        .append("Faults (FAULT[;param=value]), per request with the header ").append(Fault.HEADER)
        .append(": FAULT,\nor armed with --fault, or from Java with Sandbox.arm(FaultRule):\n");
    for (Fault.Kind kind : Fault.Kind.values()) {
      s.append(String.format("  %-16s %s%n", kind.name(), kind.description));
    }
    return s.toString();
  }

  /** What a user needs to point a client at the sandbox. */
  static String banner(Sandbox sandbox, Duration startup) {
    SandboxCredentials c = sandbox.credentials();
    Path files = sandbox.clientFiles();
    String key = c.merchantPrivateKey().isPresent()
        ? "Path.of(\"" + files.resolve(SandboxCredentials.MERCHANT_KEY_FILE) + "\")"
        : "Path.of(\"your apiclient_key.pem\")";
    return "WeChat Pay sandbox listening on " + sandbox.uri()
        + " (started in " + startup.toMillis() + " ms)\n"
        + sandbox.specSummary() + "\nClient files and seed.json in " + files + "\n\n"
        + "import io.github.wechatpaypartner.WechatPayClient;   // artifact wechatpay-partner-client\n"
        + "import java.net.URI;\n"
        + "import java.nio.file.Path;\n\n"
        + "WechatPayClient client = WechatPayClient.builder()\n"
        + "    .mchid(\"" + c.mchid() + "\")\n"
        + "    .merchantCertificate(Path.of(\"" + files.resolve(SandboxCredentials.MERCHANT_CERT_FILE) + "\"))\n"
        + "    .privateKey(" + key + ")\n"
        + "    .wechatpayPublicKey(\"" + c.wechatpayPublicKeyId() + "\", Path.of(\""
        + files.resolve(SandboxCredentials.WECHATPAY_PUBLIC_KEY_FILE) + "\"))\n"
        + "    .apiV3Key(\"" + c.apiV3Key() + "\")\n"
        + "    .hosts(URI.create(\"" + sandbox.uri() + "\"))\n"
        + "    .build();\n\n"
        + "Official SDK (com.github.wechatpay-apiv3:wechatpay-java): RSAPublicKeyConfig with merchantId \"" + c.mchid()
        + "\",\nmerchantSerialNumber \"" + c.merchantSerial() + "\", publicKeyId \"" + c.wechatpayPublicKeyId()
        + "\", the same files,\nand URLs starting with " + sandbox.uri() + ".\n\n"
        + "Faults: header " + Fault.HEADER + ": GATEWAY_503 (or --fault, --help lists them); armed now: "
        + (sandbox.armedFaults().isEmpty() ? "none" : sandbox.armedFaults().stream().map(FaultRule::toString)
            .collect(java.util.stream.Collectors.joining(", "))) + ".\n"
        + "Notifications: " + sandbox.notifyUrl().map(URI::toString).orElse("none (--notify-url)") + ".\n"
        + "Control plane: " + sandbox.uri() + ControlPlane.PREFIX + "/openapi.yaml (state, record, notifications,"
        + " faults, clock, keys, coverage); " + SandboxCredentials.DESCRIPTION_FILE + ": "
        + files.resolve(SandboxCredentials.DESCRIPTION_FILE) + "\n"
        + "One line per request follows (--quiet: none). Ctrl-C stops the sandbox.";
  }
}
