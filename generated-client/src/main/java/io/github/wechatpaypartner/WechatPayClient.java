package io.github.wechatpaypartner;

import io.github.wechatpaypartner.client.SpecCatalog;
import io.github.wechatpaypartner.client.WechatPayApis;
import io.github.wechatpaypartner.client.api.PlatformCertificateApi;
import io.github.wechatpaypartner.client.notification.EventStore;
import io.github.wechatpaypartner.client.notification.InMemoryEventStore;
import io.github.wechatpaypartner.client.notification.NotificationHandler;
import io.github.wechatpaypartner.client.runtime.CallListener;
import io.github.wechatpaypartner.client.runtime.CallPipeline;
import io.github.wechatpaypartner.client.runtime.IncomingResponse;
import io.github.wechatpaypartner.client.runtime.Interceptor;
import io.github.wechatpaypartner.client.runtime.Jitter;
import io.github.wechatpaypartner.client.runtime.JdkHttpTransport;
import io.github.wechatpaypartner.client.runtime.LocalRateLimiter;
import io.github.wechatpaypartner.client.runtime.PipelineSettings;
import io.github.wechatpaypartner.client.runtime.RateLimiter;
import io.github.wechatpaypartner.client.runtime.RetryPolicy;
import io.github.wechatpaypartner.client.runtime.TimeSource;
import io.github.wechatpaypartner.client.runtime.Timeouts;
import io.github.wechatpaypartner.client.runtime.Transport;
import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import io.github.wechatpaypartner.exception.ConfigurationException;
import io.github.wechatpaypartner.exception.WechatPayException;
import io.github.wechatpaypartner.signing.AnswerVerification;
import io.github.wechatpaypartner.signing.CryptoProvider;
import io.github.wechatpaypartner.signing.RequestSigning;
import io.github.wechatpaypartner.signing.certificates.PlatformCertificates;
import io.github.wechatpaypartner.signing.keys.CertificateLoader;
import io.github.wechatpaypartner.signing.keys.MerchantCredentials;
import io.github.wechatpaypartner.signing.keys.PrivateKeyLoader;
import io.github.wechatpaypartner.signing.keys.TrustedKeys;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import io.github.wechatpaypartner.signing.notification.ApiV3Key;
import io.github.wechatpaypartner.signing.notification.NotificationParser;
import io.github.wechatpaypartner.signing.sign.RequestSigner;
import io.github.wechatpaypartner.signing.verify.SignatureVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The client of one merchant account: the generated APIs on a call path that signs every
 * request, verifies every answer, retries and fails over as its {@link RetryPolicy} says, and
 * (optionally) holds each operation to the spec's rate limit.
 *
 * <pre>{@code
 * WechatPayClient client = WechatPayClient.builder()
 *     .mchid("1900000001")
 *     .merchantCertificate(Path.of("apiclient_cert.pem"))   // or .merchantSerial("5157F0...")
 *     .privateKey(Path.of("apiclient_key.pem"))
 *     .wechatpayPublicKey("PUB_KEY_ID_0114232134912410000000000000", Path.of("pub_key.pem"))
 *     .build();
 * DeliveryPlan plan = client.deliveryPlanApi().createDeliveryPlan(request).getPlan();
 * }</pre>
 *
 * <p>Immutable and thread-safe; each instance holds its own keys and HTTP client, so several
 * merchant accounts live side by side in one JVM with no shared state. Nothing it hands out can
 * switch signing or verification off. {@link #toString()} names the merchant, never a key.
 */
public final class WechatPayClient extends WechatPayApis {
  /** Hosts of the real service (any host of mch.weixin.qq.com): a client aimed at them always verifies answers. */
  private static final Pattern WECHATPAY_HOST = Pattern.compile("(?:[a-z0-9-]+\\.)*mch\\.weixin\\.qq\\.com\\.?");

  private final ClientRuntime runtime;
  private final NotificationParser notificationParser;
  private final String description;

  private WechatPayClient(ClientRuntime runtime, NotificationParser notificationParser, String description) {
    super(runtime);
    this.runtime = runtime;
    this.notificationParser = notificationParser;
    this.description = description;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The parser of notifications ({@code DELIVERY_PLAN.CHANGE}, {@code PRODUCT_COUPON_SP.SEND}: the
   * spec's {@code x-webhooks}, each mapped to its generated model) with the same trusted keys;
   * present when {@link Builder#apiV3Key(String)} was given.
   */
  public Optional<NotificationParser> notificationParser() {
    return Optional.ofNullable(notificationParser);
  }

  /**
   * A handler that verifies and decrypts each callback with {@link #notificationParser()} and runs
   * the application's action once per event id, recorded in {@code store}: a {@link
   * InMemoryEventStore} for one instance, a shared store (e.g. the Redis module's) for a fleet.
   * Defaults as in {@link NotificationHandler.Builder}; build one with {@link
   * NotificationHandler#builder} to change them.
   *
   * @throws ConfigurationException when the client has no {@link Builder#apiV3Key(String)}
   */
  public NotificationHandler notificationHandler(EventStore store) {
    if (notificationParser == null) {
      throw new ConfigurationException("notificationHandler needs the APIv3 key: set apiV3Key(...) on the client");
    }
    return NotificationHandler.builder(notificationParser).store(store).build();
  }

  /**
   * A client sharing everything with this one (keys, HTTP connections, settings) whose calls also
   * go through {@code interceptor} (per attempt), after the interceptors already there. This
   * client is unchanged.
   */
  public WechatPayClient withInterceptor(Interceptor interceptor) {
    return new WechatPayClient(runtime.withInterceptor(interceptor), notificationParser,
        description);
  }

  /**
   * A client like this one that also sends {@code name: value} on every request (e.g. a mock
   * server's {@code Prefer}). It cannot replace {@code Authorization} or {@code Wechatpay-Serial},
   * which are set after it.
   */
  public WechatPayClient withHeader(String name, String value) {
    return withInterceptor(Interceptor.header(name, value));
  }

  @Override
  public String toString() {
    return description;
  }

  /** The spec's event types mapped to the generated model of each decrypted resource. */
  static Map<String, Class<?>> webhookModels() {
    Map<String, Class<?>> models = new LinkedHashMap<>();
    SpecCatalog.WEBHOOK_RESOURCE_SCHEMAS.forEach((eventType, ref) -> {
      String name = SpecCatalog.MODEL_PACKAGE + "." + ref.substring(ref.lastIndexOf('/') + 1);
      try {
        models.put(eventType, Class.forName(name, false, WechatPayClient.class.getClassLoader()));
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("x-webhooks " + eventType + " names " + ref
            + ", but no model " + name + " was generated", e);
      }
    });
    return models;
  }

  /** Settings of a client. Not thread-safe; {@link #build()} checks everything before anything is sent. */
  public static final class Builder {
    private String mchid;
    private String merchantSerial;
    private Path merchantCertificate;
    private PrivateKey privateKey;
    private final WechatPayKeySet.Builder keySet = WechatPayKeySet.builder();
    private boolean keySetEmpty = true;
    private WechatPayKeySet fullKeySet;
    private ApiV3Key apiV3Key;
    private List<URI> hosts;
    private Timeouts timeouts = Timeouts.DEFAULT;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private RateLimiter rateLimiter;
    private CryptoProvider cryptoProvider;
    private Clock clock = Clock.systemUTC();
    private HttpClient httpClient;
    private Transport transport;
    private final List<Interceptor> interceptors = new ArrayList<>();
    private final List<Interceptor> callInterceptors = new ArrayList<>();
    private final List<CallListener> listeners = new ArrayList<>();
    private long maxAnswerBytes = PipelineSettings.DEFAULT_MAX_ANSWER_BYTES;
    private Executor executor;
    private TimeSource timeSource = TimeSource.SYSTEM;
    private Jitter jitter = Jitter.FULL;
    private URI unverifiedMockServer;
    private PlatformCertificates platformCertificates;
    private boolean autoPlatformCertificates;
    private String wechatpaySerial;

    private Builder() {
    }

    /** The service provider's merchant id (digits), e.g. {@code 1900000001}. */
    public Builder mchid(String mchid) {
      this.mchid = mchid;
      return this;
    }

    /** The serial of the merchant API certificate ({@code apiclient_cert.pem}), hex. */
    public Builder merchantSerial(String serial) {
      this.merchantSerial = serial;
      return this;
    }

    /** Reads the merchant serial from {@code apiclient_cert.pem} and checks the private key matches it. */
    public Builder merchantCertificate(Path apiclientCertPem) {
      this.merchantCertificate = Objects.requireNonNull(apiclientCertPem, "apiclientCertPem");
      return this;
    }

    /** The merchant API private key from {@code apiclient_key.pem} (PKCS#8 or PKCS#1). */
    public Builder privateKey(Path apiclientKeyPem) {
      this.privateKey = PrivateKeyLoader.fromFile(apiclientKeyPem);
      return this;
    }

    /** An encrypted merchant API private key file and its password. */
    public Builder privateKey(Path apiclientKeyPem, char[] password) {
      this.privateKey = PrivateKeyLoader.fromFile(apiclientKeyPem, password);
      return this;
    }

    /** The merchant API private key as PEM text. */
    public Builder privateKeyPem(String pem) {
      this.privateKey = PrivateKeyLoader.fromPem(pem);
      return this;
    }

    public Builder privateKey(PrivateKey key) {
      this.privateKey = PrivateKeyLoader.of(key);
      return this;
    }

    /** Trusts a WeChat Pay public key ({@code pub_key.pem}) under its id {@code PUB_KEY_ID_...}. */
    public Builder wechatpayPublicKey(String publicKeyId, Path pemFile) {
      keySet.publicKey(publicKeyId, pemFile);
      keySetEmpty = false;
      return this;
    }

    public Builder wechatpayPublicKey(String publicKeyId, PublicKey key) {
      keySet.publicKey(publicKeyId, key);
      keySetEmpty = false;
      return this;
    }

    /** Trusts a platform certificate (the older mode), under its serial. Both modes may be mixed. */
    public Builder platformCertificate(Path pemFile) {
      keySet.platformCertificate(pemFile);
      keySetEmpty = false;
      return this;
    }

    /** Trusts exactly this key set (replaces keys added one by one). */
    public Builder wechatpayKeySet(WechatPayKeySet keys) {
      this.fullKeySet = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /** The APIv3 key (32 bytes), needed only to decrypt notifications. */
    public Builder apiV3Key(String key) {
      this.apiV3Key = ApiV3Key.of(key);
      return this;
    }

    /**
     * Platform certificate mode, managed as the official SDKs do: {@link #build()} downloads the
     * certificates ({@code GET /v3/certificates}) with the merchant's credentials and decrypts them
     * with this APIv3 key (a wrong key fails the build); they are downloaded again every 60
     * minutes and when an answer or notification names a serial not yet known (see {@link
     * PlatformCertificates}). Public keys added with {@link #wechatpayPublicKey} are trusted
     * beside them (the switchover). The key also decrypts notifications, as {@link #apiV3Key}.
     */
    public Builder autoPlatformCertificates(String apiV3Key) {
      this.apiV3Key = ApiV3Key.of(apiV3Key);
      this.autoPlatformCertificates = true;
      return this;
    }

    /**
     * Managed platform certificates shared by the clients of one merchant (built once with {@link
     * PlatformCertificates#builder}; the first client built with it downloads). Its own
     * {@code alsoTrust} holds any public key: do not add keys here too.
     */
    public Builder platformCertificates(PlatformCertificates shared) {
      this.platformCertificates = Objects.requireNonNull(shared, "shared");
      return this;
    }

    /**
     * The public key id or certificate serial requests name in {@code Wechatpay-Serial}: during
     * the switchover, the key the merchant wants answers signed with. Default: the first WeChat
     * Pay public key, else the platform certificate valid the longest (see {@link
     * WechatPayKeySet#preferredSerial()}). It must be a trusted key.
     */
    public Builder wechatpaySerial(String serial) {
      this.wechatpaySerial = Objects.requireNonNull(serial, "serial");
      return this;
    }

    /**
     * The hosts to try, in order; default: the spec's {@code servers}
     * ({@code https://api.mch.weixin.qq.com}, then {@code https://api2.mch.weixin.qq.com}). A host
     * that cannot be reached fails over to the next. Each must be an origin: http or https, a
     * host, an optional port, nothing else.
     */
    public Builder hosts(URI... hosts) {
      this.hosts = Arrays.asList(hosts.clone());
      return this;
    }

    /**
     * Connect timeout and the deadline of each attempt's whole answer, headers and body (default
     * 5 s and 10 s). The whole call is bounded by {@link RetryPolicy#maxTotalTime()} (30 s).
     */
    public Builder timeouts(Timeouts timeouts) {
      this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
      return this;
    }

    /** Retries of 429, 500, timeouts and unreachable hosts (default {@link RetryPolicy#defaults()}). */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** One attempt per call: no retry, no failover. */
    public Builder noRetries() {
      this.retryPolicy = RetryPolicy.builder().maxAttempts(1).build();
      return this;
    }

    /**
     * Holds each operation to the rate limit its spec states ({@code x-wechatpay-rate-limit}, 20/s
     * for addStockBundle and updateStockBudget) within this JVM, waiting rather than failing.
     * Operations without a stated limit are not throttled. For a fleet, see {@link #rateLimiter}.
     */
    public Builder rateLimited() {
      return rateLimiter(LocalRateLimiter.unbounded());
    }

    /** The limiter asked before every attempt of an operation with a stated rate limit (e.g. one shared by a fleet). */
    public Builder rateLimiter(RateLimiter limiter) {
      this.rateLimiter = Objects.requireNonNull(limiter, "limiter");
      return this;
    }

    /** The JCA provider of signatures (default {@link CryptoProvider#detect()}: ACCP when present, else the JDK's). */
    public Builder cryptoProvider(CryptoProvider provider) {
      this.cryptoProvider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** The clock of signature timestamps and of the 5-minute window (tests). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Send through this HttpClient (its own connect timeout then applies instead of
     * {@link #timeouts}'). It must not follow redirects ({@link HttpClient.Redirect#NEVER}, the
     * JDK's default): a followed redirect would hand the {@code Authorization} header to another
     * host, so {@link #build()} refuses one that does.
     */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * The most body bytes read of one answer (default 4 MiB, far above any answer the spec
     * allows): a longer body is abandoned as it arrives and the call fails with
     * {@link io.github.wechatpaypartner.exception.ResponseTooLargeException}.
     */
    public Builder maxAnswerBytes(long bytes) {
      this.maxAnswerBytes = bytes;
      return this;
    }

    /** Send through this transport instead of the JDK's HttpClient (tests, special networks). */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * Adds a per-attempt interceptor; they run in the order added around each attempt, before
     * the client's own signing and answer verification (which cannot be removed). See
     * {@link Interceptor}.
     */
    public Builder interceptor(Interceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /**
     * Adds a per-call interceptor; they run in the order added, once around all attempts of a
     * call (its {@code proceed} returns the answer the call ended with). See {@link Interceptor}.
     */
    public Builder callInterceptor(Interceptor interceptor) {
      callInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /** Told of every attempt and every call as it ends (metrics, tracing). See {@link CallListener}. */
    public Builder listener(CallListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Sends {@code name: value} on every request; cannot replace {@code Authorization} or {@code Wechatpay-Serial}. */
    public Builder header(String name, String value) {
      return interceptor(Interceptor.header(name, value));
    }

    /** Runs the {@code ...Async} calls (default: a cached pool of daemon threads, made on first use). */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Where waits between attempts read the time and sleep (tests). */
    public Builder timeSource(TimeSource timeSource) {
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /** How the backoff wait is picked below its ceiling (default {@link Jitter#FULL}; tests). */
    public Builder jitter(Jitter jitter) {
      this.jitter = Objects.requireNonNull(jitter, "jitter");
      return this;
    }

    /**
     * DANGER: talk to a local mock server that does not sign its answers (e.g. a bare Prism) and
     * accept its answers unverified. Requests are still signed. The mock's URI becomes the only
     * host. Refused for every host of the real service ({@code *.mch.weixin.qq.com}); a mock
     * that signs (the project's sandbox) needs no such option.
     */
    public Builder insecureMockServerWithoutResponseVerification(URI mockServer) {
      Objects.requireNonNull(mockServer, "mockServer");
      requireNotWechatPay(mockServer, "insecureMockServerWithoutResponseVerification");
      this.unverifiedMockServer = mockServer;
      return this;
    }

    public WechatPayClient build() {
      List<String> missing = new ArrayList<>();
      if (mchid == null) {
        missing.add("mchid");
      }
      if (privateKey == null) {
        missing.add("privateKey");
      }
      if (merchantSerial == null && merchantCertificate == null) {
        missing.add("merchantSerial (or merchantCertificate)");
      }
      WechatPayKeySet keys = fullKeySet != null ? fullKeySet : keySetEmpty ? null : keySet.build();
      boolean managed = autoPlatformCertificates || platformCertificates != null;
      if (managed && unverifiedMockServer != null) {
        throw new ConfigurationException("platform certificates are verified keys: they cannot be used with "
            + "insecureMockServerWithoutResponseVerification");
      }
      if (platformCertificates != null && (keys != null || autoPlatformCertificates || wechatpaySerial != null)) {
        throw new ConfigurationException("platformCertificates(shared) holds its own keys and serial choice: give "
            + "public keys and the serial to its builder (alsoTrust, preferredSerial), not to this client, and do not "
            + "also set autoPlatformCertificates");
      }
      if (keys != null && wechatpaySerial != null && !managed) {
        keys = WechatPayKeySet.builder().addAll(keys).preferredSerial(wechatpaySerial).build();
      }
      if (keys == null && unverifiedMockServer == null && !managed) {
        missing.add("wechatpayPublicKey (or platformCertificate, or autoPlatformCertificates): answers are verified with it");
      }
      if (!missing.isEmpty()) {
        throw new ConfigurationException("WechatPayClient is missing: " + String.join(", ", missing));
      }
      MerchantCredentials credentials = merchantCertificate != null
          ? MerchantCredentials.of(mchid, privateKey, CertificateLoader.fromFile(merchantCertificate))
          : MerchantCredentials.of(mchid, merchantSerial, privateKey);
      CryptoProvider provider = cryptoProvider != null ? cryptoProvider : CryptoProvider.detect();

      List<URI> targets = origins(hosts != null ? hosts
          : unverifiedMockServer != null ? List.of(unverifiedMockServer) : SpecCatalog.SERVERS);
      Transport wire = transport != null ? transport : httpClient != null ? new JdkHttpTransport(httpClient)
          : JdkHttpTransport.forHosts(targets, timeouts.connect());
      PipelineSettings.Builder pipeline = PipelineSettings.builder()
          .mchid(credentials.mchid()).hosts(targets).retryPolicy(retryPolicy).timeouts(timeouts)
          .maxAnswerBytes(maxAnswerBytes).rateLimiter(rateLimiter).transport(wire)
          .mapper(WechatPayJson.newObjectMapper(SpecCatalog.ONE_OF_MODELS))
          .timeSource(timeSource).jitter(jitter).userAgent(userAgent()).executor(executor);
      interceptors.forEach(pipeline::attemptInterceptor);
      callInterceptors.forEach(pipeline::callInterceptor);
      listeners.forEach(pipeline::listener);

      TrustedKeys trusted = keys;
      if (managed) {
        PlatformCertificates certificates = platformCertificates;
        if (certificates == null) {
          PlatformCertificates.Builder b = PlatformCertificates.builder(apiV3Key).clock(clock).provider(provider);
          if (keys != null) {
            b.alsoTrust(keys);
          }
          if (wechatpaySerial != null) {
            b.preferredSerial(wechatpaySerial);
          }
          certificates = b.build();
        }
        // The download names the key it expects (none before the first one) and is verified by
        // PlatformCertificates with the certificates it brings, not by the pipeline.
        RequestSigner downloadSigner = RequestSigner.builder(credentials, certificates::requestSerial)
            .provider(provider).clock(clock).build();
        PipelineSettings download = pipeline.signing(new RequestSigning(downloadSigner))
            .verification(AnswerVerification.notVerifying()).build();
        certificates.attach(credentials.mchid(), () -> downloadCertificates(download));
        trusted = certificates;
      }
      SignatureVerifier verifier = null;
      if (unverifiedMockServer != null) {
        for (URI host : targets) {
          requireNotWechatPay(host, "hosts with insecureMockServerWithoutResponseVerification");
        }
      } else {
        verifier = new SignatureVerifier(trusted, provider, clock);
      }
      // Without trusted keys (mock mode only) the header still has the documented shape.
      RequestSigner signer = (trusted != null ? RequestSigner.builder(credentials, trusted)
          : RequestSigner.builder(credentials, "PUB_KEY_ID_0000000000000000000000000000"))
          .provider(provider).clock(clock).build();
      pipeline.signing(new RequestSigning(signer))
          .verification(verifier == null ? AnswerVerification.notVerifying() : AnswerVerification.with(verifier));
      ClientRuntime runtime = new ClientRuntime(new CallPipeline(pipeline.build()));

      NotificationParser notifications = null;
      if (apiV3Key != null) {
        if (trusted == null) {
          throw new ConfigurationException("apiV3Key needs trusted WeChat Pay keys to verify notifications");
        }
        notifications = NotificationParser.builder(trusted, apiV3Key).provider(provider).clock(clock)
            .knownTypes(webhookModels()).build();
      }
      String description = "WechatPayClient[mchid=" + credentials.mchid()
          + ", serial_no=" + credentials.certificateSerial()
          + ", hosts=" + targets
          + (verifier == null ? ", RESPONSES NOT VERIFIED (mock server)"
              : managed ? ", trusted=" + trusted : ", trusted=" + keys.serials())
          + ", " + provider + "]";
      return new WechatPayClient(runtime, notifications, description);
    }

    /**
     * One {@code GET /v3/certificates?algorithm_type=RSA} (the official SDKs' URL) through the
     * client's transport, retries and hosts, and its last answer as received, error or not.
     */
    private static IncomingResponse downloadCertificates(PipelineSettings download) {
      AtomicReference<IncomingResponse> last = new AtomicReference<>();
      PipelineSettings capturing = download.toBuilder().attemptInterceptor(chain -> {
        IncomingResponse answer = chain.proceed(chain.request());
        last.set(answer);
        return answer;
      }).build();
      try {
        new PlatformCertificateApi(new ClientRuntime(new CallPipeline(capturing))).downloadCertificates("RSA");
      } catch (WechatPayException e) {
        if (last.get() == null) {
          throw e;
        }
      }
      return last.get();
    }

    /** {@code wechatpay-partner-java/2.0.0 (Java/17.0.15; Linux/6.1.0 amd64)}. */
    private static String userAgent() {
      return "wechatpay-partner-java/" + SpecCatalog.SPEC_VERSION + " (Java/"
          + System.getProperty("java.version") + "; " + System.getProperty("os.name") + "/"
          + System.getProperty("os.version") + " " + System.getProperty("os.arch") + ")";
    }

    /** Checks each host is an origin (scheme, host, optional port, nothing else), once. */
    private static List<URI> origins(List<URI> values) {
      if (values.isEmpty()) {
        throw new ConfigurationException("hosts must name at least one host");
      }
      List<URI> list = new ArrayList<>();
      Set<URI> seen = new HashSet<>();
      for (int i = 0; i < values.size(); i++) {
        URI u = values.get(i);
        String field = "hosts[" + i + "]";
        if (u == null) {
          throw new ConfigurationException(field + " must not be null");
        }
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        boolean origin = ("https".equals(scheme) || "http".equals(scheme)) && u.getHost() != null
            && (u.getRawPath() == null || u.getRawPath().isEmpty() || "/".equals(u.getRawPath()))
            && u.getRawQuery() == null && u.getRawFragment() == null && u.getRawUserInfo() == null;
        if (!origin) {
          throw new ConfigurationException(field + " must be an origin such as "
              + "https://api2.mch.weixin.qq.com (http or https, host, optional port, nothing else), got " + u);
        }
        URI normal = URI.create(scheme + "://" + u.getRawAuthority().toLowerCase(Locale.ROOT));
        if (!seen.add(normal)) {
          throw new ConfigurationException(field + " repeats an earlier host: " + u);
        }
        list.add(normal);
      }
      return list;
    }

    private static void requireNotWechatPay(URI uri, String setting) {
      String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
      if (WECHATPAY_HOST.matcher(host).matches()) {
        throw new ConfigurationException(setting + " is refused for " + uri
            + ": answers of the real WeChat Pay service are always verified");
      }
    }
  }
}
