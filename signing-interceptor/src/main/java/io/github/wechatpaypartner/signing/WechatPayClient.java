package io.github.wechatpaypartner.signing;

import io.github.wechatpaypartner.client.ApiClient;
import io.github.wechatpaypartner.client.api.DeliveryPlanApi;
import io.github.wechatpaypartner.client.api.ProductCouponApi;
import io.github.wechatpaypartner.client.hook.Exchange;
import io.github.wechatpaypartner.client.hook.RequestHook;
import io.github.wechatpaypartner.client.hook.ResponseHook;
import io.github.wechatpaypartner.client.model.DeliveryPlanChange;
import io.github.wechatpaypartner.client.model.ProductCouponSend;
import io.github.wechatpaypartner.client.resilience.RateLimitingExchange;
import io.github.wechatpaypartner.client.resilience.RetryPolicy;
import io.github.wechatpaypartner.client.resilience.RetryingExchange;
import io.github.wechatpaypartner.client.resilience.Timeouts;
import io.github.wechatpaypartner.signing.keys.MerchantCredentials;
import io.github.wechatpaypartner.signing.keys.PrivateKeyLoader;
import io.github.wechatpaypartner.signing.keys.CertificateLoader;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import io.github.wechatpaypartner.signing.notification.ApiV3Key;
import io.github.wechatpaypartner.signing.notification.NotificationParser;
import io.github.wechatpaypartner.signing.sign.RequestSigner;
import io.github.wechatpaypartner.signing.sign.SigningRequestHook;
import io.github.wechatpaypartner.signing.verify.ResponseVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A ready client for one merchant account: the generated APIs with request signing, response
 * verification, retries with backup-host failover, timeouts and (optionally) a rate limit plugged
 * in through the client hooks.
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
 * <p>Each instance holds its own keys and HTTP client: several merchant accounts live side by side
 * in one JVM with no shared state. Instances are thread-safe. {@link #toString()} names the
 * merchant, never a key.
 */
public final class WechatPayClient {
  /** Hosts of the real service: a client aimed at them always verifies answers. */
  private static final Pattern WECHATPAY_HOST = Pattern.compile("api[0-9]*\\.mch\\.weixin\\.qq\\.com\\.?");

  private final ApiClient apiClient;
  private final DeliveryPlanApi deliveryPlanApi;
  private final ProductCouponApi productCouponApi;
  private final NotificationParser notificationParser;
  private final String description;

  private WechatPayClient(ApiClient apiClient, NotificationParser notificationParser, String description) {
    this.apiClient = apiClient;
    this.deliveryPlanApi = new DeliveryPlanApi(apiClient);
    this.productCouponApi = new ProductCouponApi(apiClient);
    this.notificationParser = notificationParser;
    this.description = description;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** 投放计划: {@code createDeliveryPlan}. */
  public DeliveryPlanApi deliveryPlanApi() {
    return deliveryPlanApi;
  }

  /** 商品券: {@code addStockBundle}, {@code updateStockBudget}. */
  public ProductCouponApi productCouponApi() {
    return productCouponApi;
  }

  /** The underlying generated client, with the hooks and exchange already set. */
  public ApiClient apiClient() {
    return apiClient;
  }

  /**
   * The parser of notifications (DELIVERY_PLAN.CHANGE, PRODUCT_COUPON_SP.SEND) with the same trusted
   * keys, present when {@link Builder#apiV3Key(String)} was given.
   */
  public Optional<NotificationParser> notificationParser() {
    return Optional.ofNullable(notificationParser);
  }

  @Override
  public String toString() {
    return description;
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
    private List<URI> hosts = List.of(RetryPolicy.PRIMARY_HOST, RetryPolicy.BACKUP_HOST);
    private Timeouts timeouts = Timeouts.DEFAULT;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Double rateLimitPerSecond;
    private CryptoProvider cryptoProvider;
    private Clock clock = Clock.systemUTC();
    private HttpClient httpClient;
    private RequestHook extraHeaders = RequestHook.NONE;
    private URI unverifiedMockServer;

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
     * The hosts to try, in order (default {@code https://api.mch.weixin.qq.com} then
     * {@code https://api2.mch.weixin.qq.com}): a host that cannot be reached fails over to the next.
     */
    public Builder hosts(URI... hosts) {
      this.hosts = List.of(hosts);
      return this;
    }

    /** Connect and per-request timeouts (default 5 s and 10 s). */
    public Builder timeouts(Timeouts timeouts) {
      this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
      return this;
    }

    /** Retries of 429, 500 and unreachable hosts (default {@link RetryPolicy#defaults()}); hosts come from {@link #hosts}. */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** One attempt per call: no retry, no failover. */
    public Builder noRetries() {
      this.retryPolicy = RetryPolicy.builder().maxAttempts(1).build();
      return this;
    }

    /** Client-side rate limit: at most 20 requests per second per operation; waits rather than fails. */
    public Builder rateLimited() {
      return rateLimited(RateLimitingExchange.DEFAULT_PERMITS_PER_SECOND);
    }

    /** Client-side rate limit with this many requests per second per operation. */
    public Builder rateLimited(double requestsPerSecond) {
      this.rateLimitPerSecond = requestsPerSecond;
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

    /** Use this HttpClient (its connect timeout then applies instead of {@link #timeouts}'). */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * Headers added to every request after signing (e.g. a mock server's {@code Prefer}); they
     * cannot replace {@code Authorization} or {@code Wechatpay-Serial}.
     */
    public Builder extraHeaders(RequestHook hook) {
      this.extraHeaders = Objects.requireNonNull(hook, "hook");
      return this;
    }

    /**
     * DANGER: talk to a mock server that does not sign its answers (e.g. a bare Prism) and accept
     * them unverified. Requests are still signed. Refused for the real service's hosts
     * ({@code api*.mch.weixin.qq.com}); never use it against anything but a local mock.
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
      if (keys == null && unverifiedMockServer == null) {
        missing.add("wechatpayPublicKey (or platformCertificate): answers are verified with it");
      }
      if (!missing.isEmpty()) {
        throw new ConfigurationException("WechatPayClient is missing: " + String.join(", ", missing));
      }
      MerchantCredentials credentials = merchantCertificate != null
          ? MerchantCredentials.of(mchid, privateKey, CertificateLoader.fromFile(merchantCertificate))
          : MerchantCredentials.of(mchid, merchantSerial, privateKey);
      CryptoProvider provider = cryptoProvider != null ? cryptoProvider : CryptoProvider.detect();

      List<URI> targets = unverifiedMockServer != null ? List.of(unverifiedMockServer) : hosts;
      if (targets.isEmpty()) {
        throw new ConfigurationException("hosts must name at least one host");
      }
      ResponseHook verifier;
      String wechatpaySerial;
      if (unverifiedMockServer != null) {
        for (URI host : hosts) {
          requireNotWechatPay(host, "hosts with insecureMockServerWithoutResponseVerification");
        }
        verifier = ResponseHook.NONE;
        wechatpaySerial = keys != null ? keys.preferredSerial() : "PUB_KEY_ID_0000000000000000000000000000";
      } else {
        verifier = ResponseVerifier.of(keys, provider, clock);
        wechatpaySerial = keys.preferredSerial();
      }
      RequestSigner signer = RequestSigner.builder(credentials, wechatpaySerial)
          .provider(provider).clock(clock).build();
      RequestHook signing = new SigningRequestHook(signer);
      RequestHook requestHook = signing;
      if (extraHeaders != RequestHook.NONE) {
        RequestHook extra = extraHeaders;
        requestHook = request -> {
          Map<String, String> headers = new LinkedHashMap<>();
          extra.headersFor(request).forEach((name, value) -> {
            if (!name.equalsIgnoreCase(RequestSigner.AUTHORIZATION) && !name.equalsIgnoreCase(RequestSigner.WECHATPAY_SERIAL)) {
              headers.put(name, value);
            }
          });
          headers.putAll(signing.headersFor(request));
          return headers;
        };
      }

      // The ApiClient builds its default HttpExchange from these settings; decorators wrap it.
      ApiClient apiClient = new ApiClient(targets.get(0).toString())
          .setConnectTimeout(timeouts.connect())
          .setRequestTimeout(timeouts.request())
          .setRequestHook(requestHook)
          .setResponseHook(verifier);
      if (httpClient != null) {
        apiClient.setHttpClient(httpClient);
      }
      Exchange exchange = apiClient.getExchange();
      if (rateLimitPerSecond != null) {
        exchange = RateLimitingExchange.builder(exchange).permitsPerSecond(rateLimitPerSecond).build();
      }
      apiClient.setExchange(new RetryingExchange(exchange, retryPolicy.toBuilder().hosts(targets).build()));

      NotificationParser notifications = null;
      if (apiV3Key != null) {
        if (keys == null) {
          throw new ConfigurationException("apiV3Key needs trusted WeChat Pay keys to verify notifications");
        }
        notifications = NotificationParser.builder(keys, apiV3Key).provider(provider).clock(clock)
            .knownType("DELIVERY_PLAN.CHANGE", DeliveryPlanChange.class)
            .knownType("PRODUCT_COUPON_SP.SEND", ProductCouponSend.class)
            .build();
      }
      String description = "WechatPayClient[mchid=" + credentials.mchid()
          + ", serial_no=" + credentials.certificateSerial()
          + ", hosts=" + targets
          + (unverifiedMockServer != null ? ", RESPONSES NOT VERIFIED (mock server)" : ", trusted=" + keys.serials())
          + ", " + provider + "]";
      return new WechatPayClient(apiClient, notifications, description);
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
