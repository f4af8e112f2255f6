package io.github.wechatpaypartner.signing.certificates;

import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.client.runtime.IncomingResponse;
import io.github.wechatpaypartner.exception.ConfigurationException;
import io.github.wechatpaypartner.exception.KeyLoadingException;
import io.github.wechatpaypartner.exception.WechatPayException;
import io.github.wechatpaypartner.signing.CryptoProvider;
import io.github.wechatpaypartner.signing.keys.CertificateLoader;
import io.github.wechatpaypartner.signing.keys.TrustedKeys;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import io.github.wechatpaypartner.signing.notification.ApiV3Key;
import io.github.wechatpaypartner.signing.verify.HeaderLookup;
import io.github.wechatpaypartner.signing.verify.SignatureVerifier;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;

/**
 * The platform certificates of one merchant, downloaded from {@code GET /v3/certificates} and kept
 * current, as the official SDKs do (wechatpay-java's {@code RSAAutoCertificateConfig}): each
 * certificate is decrypted with the APIv3 key, its serial and validity dates checked, and the
 * download's own answer verified with the certificates it brings (or a public key also trusted).
 * Public keys given with {@link Builder#alsoTrust} stay in the set beside the certificates: the
 * switchover to public keys, during which either may sign.
 *
 * <p>Kept current in two ways, neither of which holds a call longer than {@link Builder#maxWait}:
 * <ul>
 *   <li>on a schedule: a set older than {@link Builder#refreshInterval} (default 60 minutes, as
 *       wechatpay-java's {@code AutoCertificateService.UPDATE_INTERVAL_MINUTE}) is downloaded again
 *       in the background when next used; calls go on with the current set meanwhile;
 *   <li>at once, when an answer or a notification names a serial the set does not hold (a rotated
 *       certificate): callers wait (at most {@code maxWait}) for one download, shared by all of
 *       them; such downloads happen at most once per {@link Builder#unknownSerialInterval}
 *       (default 1 minute), so a stream of answers under a serial nobody knows costs one download.
 * </ul>
 * A failed refresh keeps the current set and is logged once (a WARNING on {@code System.Logger}
 * {@code io.github.wechatpaypartner.signing.certificates.PlatformCertificates}) until one succeeds.
 *
 * <p>Shareable between the clients of one merchant ({@code WechatPayClient.Builder.platformCertificates});
 * the first client attached does the downloads. No static state, no thread of its own: a
 * background refresh runs on the {@link Builder#executor} (default: a short-lived daemon thread).
 */
public final class PlatformCertificates implements TrustedKeys {
  private static final System.Logger LOG = System.getLogger(PlatformCertificates.class.getName());
  /** wechatpay-java core/.../certificate/AutoCertificateService.java: UPDATE_INTERVAL_MINUTE = 60. */
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(60);
  public static final Duration DEFAULT_UNKNOWN_SERIAL_INTERVAL = Duration.ofMinutes(1);
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(5);
  static final String ALGORITHM = "AEAD_AES_256_GCM";
  private static final ObjectMapper JSON = WechatPayJson.newObjectMapper();

  /** Sends {@code GET /v3/certificates} signed as the merchant and returns the answer unverified. */
  @FunctionalInterface
  public interface Download {
    IncomingResponse get();
  }

  private final ApiV3Key apiV3Key;
  private final WechatPayKeySet alsoTrusted;
  private final String preferredSerial;
  private final Duration refreshInterval;
  private final Duration unknownSerialInterval;
  private final Duration maxWait;
  private final Clock clock;
  private final CryptoProvider provider;
  private final Executor executor;
  private final AtomicLong downloads = new AtomicLong();

  private final Object lock = new Object();
  private String mchid;
  private Download download;
  private volatile WechatPayKeySet current;
  private volatile Instant loadedAt = Instant.MIN;
  private Instant lastUnknownSerialRefresh = Instant.MIN;
  private CompletableFuture<WechatPayKeySet> inFlight;
  private boolean failing;

  private PlatformCertificates(Builder b) {
    this.apiV3Key = b.apiV3Key;
    this.alsoTrusted = b.alsoTrusted;
    this.preferredSerial = b.preferredSerial;
    this.refreshInterval = b.refreshInterval;
    this.unknownSerialInterval = b.unknownSerialInterval;
    this.maxWait = b.maxWait;
    this.clock = b.clock;
    this.provider = b.provider != null ? b.provider : CryptoProvider.detect();
    this.executor = b.executor != null ? b.executor : PlatformCertificates::daemonThread;
    this.current = alsoTrusted;
  }

  /** @param apiV3Key the merchant's APIv3 key: the certificates are encrypted with it */
  public static Builder builder(ApiV3Key apiV3Key) {
    return new Builder(apiV3Key);
  }

  /**
   * Gives the set its way to download (a client of merchant {@code mchid} does this when built
   * with it) and downloads now unless a download already succeeded. The first client attached
   * keeps doing the downloads; a client of another merchant is refused.
   *
   * @throws ConfigurationException when the download fails: a wrong APIv3 key (the certificates
   *     do not decrypt), no certificate and no public key, an answer that does not verify
   */
  public void attach(String mchid, Download download) {
    Objects.requireNonNull(mchid, "mchid");
    Objects.requireNonNull(download, "download");
    synchronized (lock) {
      if (this.mchid != null && !this.mchid.equals(mchid)) {
        throw new ConfigurationException("These platform certificates belong to merchant " + this.mchid
            + "; a client of merchant " + mchid + " cannot share them");
      }
      if (this.download == null) {
        this.mchid = mchid;
        this.download = download;
      }
    }
    if (loadedAt.equals(Instant.MIN)) {
      try {
        join(refresh(false));
      } catch (RuntimeException e) {
        throw new ConfigurationException("Platform certificates of merchant " + mchid
            + " could not be set up from GET /v3/certificates: " + e.getMessage(), e);
      }
    }
  }

  /** The keys trusted now; starts a background download when the set is older than the refresh interval. */
  @Override
  public WechatPayKeySet current() {
    WechatPayKeySet set = current;
    if (set == null) {
      throw new ConfigurationException("No platform certificate is loaded yet: build a client with these"
          + " platform certificates first (it downloads them)");
    }
    if (!loadedAt.equals(Instant.MIN) && !clock.instant().isBefore(loadedAt.plus(refreshInterval))) {
      refresh(false);
    }
    return set;
  }

  @Override
  public WechatPayKeySet afterUnknownSerial(String serial) {
    WechatPayKeySet set = current();
    if (set.find(serial).isPresent()) {
      return set;
    }
    CompletableFuture<WechatPayKeySet> pending = refresh(true);
    if (pending != null) {
      try {
        pending.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // Already logged, or still running: the caller goes on with what is trusted now.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return current;
  }

  /**
   * Downloads now (in the background) and returns the pending result, or the download already
   * running; {@code null} when an unknown serial asked for it within the unknown-serial interval.
   */
  private CompletableFuture<WechatPayKeySet> refresh(boolean forUnknownSerial) {
    CompletableFuture<WechatPayKeySet> started;
    synchronized (lock) {
      if (inFlight != null) {
        return inFlight;
      }
      if (download == null) {
        return null;
      }
      Instant now = clock.instant();
      if (forUnknownSerial) {
        if (now.isBefore(lastUnknownSerialRefresh.plus(unknownSerialInterval))) {
          return null;
        }
        lastUnknownSerialRefresh = now;
      }
      started = new CompletableFuture<>();
      inFlight = started;
    }
    Runnable task = () -> {
      try {
        WechatPayKeySet set = downloadOnce();
        synchronized (lock) {
          current = set;
          loadedAt = clock.instant();
          if (failing) {
            LOG.log(Level.INFO, "Platform certificates of merchant {0} downloaded again: {1}", mchid, set.serials());
          }
          failing = false;
          inFlight = null;
        }
        started.complete(set);
      } catch (RuntimeException | Error e) {
        synchronized (lock) {
          // The current set stays; the next attempt is due after another interval, not at once.
          if (!loadedAt.equals(Instant.MIN)) {
            loadedAt = clock.instant();
          }
          if (!failing && !loadedAt.equals(Instant.MIN)) {
            LOG.log(Level.WARNING, "Refreshing the platform certificates of merchant " + mchid
                + " failed; still trusting " + current.serials() + " (logged once until a refresh succeeds)", e);
          }
          failing = !loadedAt.equals(Instant.MIN);
          inFlight = null;
        }
        started.completeExceptionally(e);
      }
    };
    try {
      executor.execute(task);
    } catch (RuntimeException rejected) {
      task.run();
    }
    return started;
  }

  private static WechatPayKeySet join(CompletableFuture<WechatPayKeySet> pending) {
    try {
      return pending.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException ? (RuntimeException) cause : new WechatPayException(cause.toString(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WechatPayException("interrupted while downloading the platform certificates", e);
    }
  }

  /** One download: decrypt, check, verify; the new set, or an exception saying what is wrong. */
  private WechatPayKeySet downloadOnce() {
    downloads.incrementAndGet();
    IncomingResponse answer = download.get();
    JsonNode body = readJson(answer.body());
    List<X509Certificate> certificates = new ArrayList<>();
    if (answer.statusCode() == 404 && "NOT_FOUND".equals(body.path("code").asText())) {
      // wechatpay-java CertificateDownloader.download(): NOT_FOUND once the merchant uses public keys only.
      if (alsoTrusted == null) {
        throw new ConfigurationException("GET /v3/certificates: merchant " + mchid + " has no platform"
            + " certificate (404 NOT_FOUND) and no WeChat Pay public key is trusted; add the public key (PUB_KEY_ID_...)");
      }
    } else if (answer.statusCode() / 100 != 2) {
      throw new WechatPayException("GET /v3/certificates answered " + answer.statusCode() + " "
          + body.path("code").asText("") + " (Request-ID " + answer.requestId() + ")");
    } else {
      for (JsonNode entry : body.path("data")) {
        certificate(entry).ifPresent(certificates::add);
      }
    }
    // The longest-valid first: what a request names by default (wechatpay-java AutoCertificateService.getAvailableCertificate).
    certificates.sort(Comparator.comparing(X509Certificate::getNotAfter).reversed());
    WechatPayKeySet.Builder set = WechatPayKeySet.builder();
    if (alsoTrusted != null) {
      set.addAll(alsoTrusted);
    }
    certificates.forEach(set::platformCertificate);
    if (preferredSerial != null) {
      set.preferredSerial(preferredSerial);
    }
    WechatPayKeySet candidate;
    try {
      candidate = set.build();
    } catch (KeyLoadingException e) {
      throw new ConfigurationException("GET /v3/certificates listed no valid platform certificate for merchant "
          + mchid + " (" + e.getMessage() + ")", e);
    }
    new SignatureVerifier(candidate, provider, clock).check(HeaderLookup.of(answer.headers()), answer.body())
        .ifPresent(failure -> {
          throw new WechatPayException("GET /v3/certificates: the answer (Request-ID " + answer.requestId()
              + ") failed verification [" + failure.check() + "] with the certificates it lists: "
              + failure.detail() + "; not trusted", null, "downloadCertificates");
        });
    return candidate;
  }

  /** One entry of {@code data}: decrypted and checked; empty when it is outside its validity dates. */
  private java.util.Optional<X509Certificate> certificate(JsonNode entry) {
    String serial = entry.path("serial_no").asText("");
    JsonNode encrypted = entry.path("encrypt_certificate");
    String algorithm = encrypted.path("algorithm").asText("");
    if (!ALGORITHM.equals(algorithm)) {
      throw new WechatPayException("GET /v3/certificates: certificate " + serial + " is encrypted with '"
          + algorithm + "'; only " + ALGORITHM + " is supported");
    }
    String pem = decrypt(serial, encrypted.path("associated_data").asText(""), encrypted.path("nonce").asText(""),
        encrypted.path("ciphertext").asText(""));
    X509Certificate certificate = CertificateLoader.fromPem(pem);
    String own = CertificateLoader.serialOf(certificate);
    if (!own.equalsIgnoreCase(serial)) {
      throw new WechatPayException("GET /v3/certificates: entry serial_no " + serial
          + " does not match its certificate's serial " + own);
    }
    try {
      certificate.checkValidity(Date.from(clock.instant()));
      return java.util.Optional.of(certificate);
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      LOG.log(Level.DEBUG, "platform certificate {0} left out: valid {1} to {2}", serial,
          certificate.getNotBefore(), certificate.getNotAfter());
      return java.util.Optional.empty();
    }
  }

  /** AEAD_AES_256_GCM with the APIv3 key, as the spec's downloadCertificates describes it. */
  private String decrypt(String serial, String associatedData, String nonce, String ciphertext) {
    try {
      Cipher cipher = apiV3Key.gcmCipher(Cipher.DECRYPT_MODE, nonce, provider);
      if (!associatedData.isEmpty()) {
        cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      }
      return new String(cipher.doFinal(Base64.getDecoder().decode(ciphertext)), StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new ConfigurationException("GET /v3/certificates: platform certificate " + serial
          + " does not decrypt with the APIv3 key: the APIv3 key is wrong (merchant platform, API security,"
          + " APIv3 key) or the answer was altered", e);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new WechatPayException("GET /v3/certificates: platform certificate " + serial
          + " cannot be decrypted (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static JsonNode readJson(byte[] body) {
    try {
      JsonNode tree = body.length == 0 ? null : JSON.readTree(body);
      return tree == null ? JSON.createObjectNode() : tree;
    } catch (IOException e) {
      throw new WechatPayException("GET /v3/certificates answered with a body that is not JSON");
    }
  }

  private static void daemonThread(Runnable task) {
    Thread thread = new Thread(task, "wechatpay-platform-certificates");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * What a download request names in {@code Wechatpay-Serial}: the current set's choice, or
   * {@code null} before the first download (no key is known; wechatpay-java sends none either).
   */
  public String requestSerial() {
    WechatPayKeySet set = current;
    return set == null ? null : set.preferredSerial();
  }

  /** How many downloads were started (each successful or not). */
  public long downloads() {
    return downloads.get();
  }

  @Override
  public String toString() {
    WechatPayKeySet set = current;
    return "PlatformCertificates[mchid=" + mchid + ", " + (set == null ? "not loaded" : set.serials())
        + ", refresh every " + refreshInterval + "]";
  }

  /** Settings; everything but the APIv3 key has a default. Not thread-safe. */
  public static final class Builder {
    private final ApiV3Key apiV3Key;
    private WechatPayKeySet alsoTrusted;
    private String preferredSerial;
    private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;
    private Duration unknownSerialInterval = DEFAULT_UNKNOWN_SERIAL_INTERVAL;
    private Duration maxWait = DEFAULT_MAX_WAIT;
    private Clock clock = Clock.systemUTC();
    private CryptoProvider provider;
    private Executor executor;

    private Builder(ApiV3Key apiV3Key) {
      this.apiV3Key = Objects.requireNonNull(apiV3Key, "apiV3Key");
    }

    /**
     * Keys trusted beside the downloaded certificates, e.g. the WeChat Pay public key during the
     * switchover; its {@link WechatPayKeySet#preferredSerial()} choice, if made, is kept.
     */
    public Builder alsoTrust(WechatPayKeySet keys) {
      this.alsoTrusted = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /**
     * The id or serial requests name in {@code Wechatpay-Serial}; default: the first public key
     * of {@link #alsoTrust}, else the downloaded certificate valid the longest.
     */
    public Builder preferredSerial(String serial) {
      this.preferredSerial = Objects.requireNonNull(serial, "serial");
      return this;
    }

    /** How old the set may grow before it is downloaded again (default 60 minutes). */
    public Builder refreshInterval(Duration interval) {
      this.refreshInterval = ConfigurationException.requirePositive("refreshInterval", interval);
      return this;
    }

    /** The least time between two downloads asked for by unknown serials (default 1 minute). */
    public Builder unknownSerialInterval(Duration interval) {
      this.unknownSerialInterval = ConfigurationException.requireNonNegative("unknownSerialInterval", interval);
      return this;
    }

    /** The longest a call waits for the download an unknown serial started (default 5 s). */
    public Builder maxWait(Duration wait) {
      this.maxWait = ConfigurationException.requireNonNegative("maxWait", wait);
      return this;
    }

    /** The clock of validity dates, refresh times and signature timestamps (tests). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder provider(CryptoProvider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** Runs background downloads (default: one short-lived daemon thread per download). */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    public PlatformCertificates build() {
      if (preferredSerial != null && alsoTrusted == null && preferredSerial.startsWith("PUB_KEY_ID_")) {
        throw new ConfigurationException("preferredSerial " + preferredSerial
            + " is a public key id, but no public key is trusted: add it with alsoTrust(...)");
      }
      return new PlatformCertificates(this);
    }
  }
}
