package io.github.wechatpaypartner.sandbox;

import io.github.wechatpaypartner.sandbox.MarketingState.RepeatedRequestNo;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** How a sandbox starts. Every setting has a default; {@link #builder()} to change them. Immutable. */
public final class SandboxSettings {
  final String host;
  final int port;
  final Path spec;
  final SandboxCredentials credentials;
  final Path clientFilesDir;
  final URI notifyUrl;
  final double timeScale;
  final RepeatedRequestNo repeatedRequestNo;
  final Path seed;
  final List<FaultRule> faults;
  final boolean rateLimit;
  final boolean couponReceiptOnNewBundle;
  final int recordSize;
  final int maxBodyBytes;
  final int maxConnections;
  final java.util.function.Consumer<String> requestLog;
  final String controlToken;
  final Path reportDir;
  final SandboxKeys.Mode keyMode;

  private SandboxSettings(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.spec = b.spec;
    this.credentials = b.credentials;
    this.clientFilesDir = b.clientFilesDir;
    this.notifyUrl = b.notifyUrl;
    this.timeScale = b.timeScale;
    this.repeatedRequestNo = b.repeatedRequestNo;
    this.seed = b.seed;
    this.faults = List.copyOf(b.faults);
    this.rateLimit = b.rateLimit;
    this.couponReceiptOnNewBundle = b.couponReceiptOnNewBundle;
    this.recordSize = b.recordSize;
    this.maxBodyBytes = b.maxBodyBytes;
    this.maxConnections = b.maxConnections;
    this.requestLog = b.requestLog;
    this.controlToken = b.controlToken;
    this.reportDir = b.reportDir;
    this.keyMode = b.keyMode;
  }

  public static SandboxSettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.host = host;
    b.port = port;
    b.spec = spec;
    b.credentials = credentials;
    b.clientFilesDir = clientFilesDir;
    b.notifyUrl = notifyUrl;
    b.timeScale = timeScale;
    b.repeatedRequestNo = repeatedRequestNo;
    b.seed = seed;
    b.faults.addAll(faults);
    b.rateLimit = rateLimit;
    b.couponReceiptOnNewBundle = couponReceiptOnNewBundle;
    b.recordSize = recordSize;
    b.maxBodyBytes = maxBodyBytes;
    b.maxConnections = maxConnections;
    b.requestLog = requestLog;
    b.controlToken = controlToken;
    b.reportDir = reportDir;
    b.keyMode = keyMode;
    return b;
  }

  /** Settings of a sandbox. Not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private Path spec;
    private SandboxCredentials credentials;
    private Path clientFilesDir;
    private URI notifyUrl;
    private double timeScale = 1;
    private RepeatedRequestNo repeatedRequestNo = RepeatedRequestNo.REPLAY;
    private Path seed;
    private final List<FaultRule> faults = new ArrayList<>();
    private boolean rateLimit = true;
    private boolean couponReceiptOnNewBundle = true;
    private int recordSize = 1000;
    private int maxBodyBytes = 1024 * 1024;
    private int maxConnections = 64;
    private java.util.function.Consumer<String> requestLog;
    private String controlToken;
    private Path reportDir;
    private SandboxKeys.Mode keyMode = SandboxKeys.Mode.PUBLIC_KEY;

    private Builder() {
    }

    /** Which keys sign answers and notifications from the start (default PUBLIC_KEY); see {@link SandboxKeys}. */
    public Builder keyMode(SandboxKeys.Mode mode) {
      this.keyMode = java.util.Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Address to bind (default {@code 127.0.0.1}: the sandbox is for this machine). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** Port (default 0: a free one, read it from {@link Sandbox#uri()}). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** Another spec file (YAML or JSON); default: the bundle of the wechatpay-partner-spec jar. */
    public Builder spec(Path openApiFile) {
      this.spec = openApiFile;
      return this;
    }

    /** What the sandbox trusts and signs with (default: {@link SandboxCredentials#generate()}). */
    public Builder credentials(SandboxCredentials credentials) {
      this.credentials = credentials;
      return this;
    }

    /** Where to write the client's files (default: a temporary folder deleted on close). */
    public Builder clientFilesDir(Path dir) {
      this.clientFilesDir = dir;
      return this;
    }

    /** Where notifications go (default: none; they are recorded, not sent). */
    public Builder notifyUrl(URI url) {
      this.notifyUrl = url;
      return this;
    }

    /** Divides the notification resend schedule: 60 makes the documented 60 s one second. Default 1. */
    public Builder timeScale(double scale) {
      if (!(scale > 0)) {
        throw new IllegalArgumentException("timeScale must be positive, got " + scale);
      }
      this.timeScale = scale;
      return this;
    }

    /** A repeated out_request_no on createDeliveryPlan and updateStockBudget (default {@link RepeatedRequestNo#REPLAY}). */
    public Builder repeatedRequestNo(RepeatedRequestNo policy) {
      this.repeatedRequestNo = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Coupons, stocks and bundles to start with, from a JSON file (default: from the spec's examples). */
    public Builder seed(Path seedFile) {
      this.seed = seedFile;
      return this;
    }

    /** Faults armed from the start. */
    public Builder fault(FaultRule rule) {
      faults.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /** Apply each operation's {@code x-wechatpay-rate-limit} (429 above it). Default true. */
    public Builder rateLimit(boolean enforce) {
      this.rateLimit = enforce;
      return this;
    }

    /** A simulated user receives a coupon of each new bundle's first stock (PRODUCT_COUPON_SP.SEND). Default true. */
    public Builder couponReceiptOnNewBundle(boolean receive) {
      this.couponReceiptOnNewBundle = receive;
      return this;
    }

    /** How many recent exchanges the record keeps (older ones are dropped, so memory stays flat). Default 1000. */
    public Builder recordSize(int exchanges) {
      this.recordSize = positive("recordSize", exchanges);
      return this;
    }

    /** Request bodies larger than this are refused with 413 before they are read. Default 1 MiB. */
    public Builder maxBodyBytes(int bytes) {
      this.maxBodyBytes = positive("maxBodyBytes", bytes);
      return this;
    }

    /**
     * Open connections (one thread each) at most; past it the one that has waited longest for a
     * request is closed. Default 64.
     */
    public Builder maxConnections(int connections) {
      this.maxConnections = positive("maxConnections", connections);
      return this;
    }

    /** Receives one line per request (time, operation, status, fault, Request-ID); default none. */
    public Builder requestLog(java.util.function.Consumer<String> log) {
      this.requestLog = log;
      return this;
    }

    /**
     * The bearer token the control plane ({@code /sandbox/v1/...}) requires. Default: none on a
     * loopback address, a generated one (in {@code sandbox.json}) on any other.
     */
    public Builder controlToken(String token) {
      if (token != null && !token.matches("[A-Za-z0-9._~-]{16,128}")) {
        throw new IllegalArgumentException("controlToken must be 16 to 128 characters of A-Z a-z 0-9 . _ ~ -");
      }
      this.controlToken = token;
      return this;
    }

    /** Where {@code coverage.json} and {@code coverage.html} are written when the sandbox stops; default none. */
    public Builder reportDir(Path dir) {
      this.reportDir = dir;
      return this;
    }

    private static int positive(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, got " + value);
      }
      return value;
    }

    public SandboxSettings build() {
      return new SandboxSettings(this);
    }
  }
}
