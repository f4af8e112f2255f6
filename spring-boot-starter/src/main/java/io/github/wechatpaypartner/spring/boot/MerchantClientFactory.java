package io.github.wechatpaypartner.spring.boot;

import io.github.wechatpaypartner.exception.ConfigurationException;
import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.runtime.RateLimiter;
import io.github.wechatpaypartner.client.runtime.RetryPolicy;
import io.github.wechatpaypartner.client.runtime.Timeouts;
import io.github.wechatpaypartner.signing.keys.CertificateLoader;
import io.github.wechatpaypartner.signing.keys.PrivateKeyLoader;
import io.github.wechatpaypartner.signing.keys.PublicKeyLoader;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import io.github.wechatpaypartner.signing.notification.ApiV3Key;
import io.github.wechatpaypartner.spring.boot.MerchantProperties.RateLimit;
import io.github.wechatpaypartner.spring.boot.WechatPayProperties.Merchant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Builds the client of one configured merchant, checking each property first so that a problem is
 * reported by its property name and rule. Collects every problem of a merchant before giving up.
 */
final class MerchantClientFactory {
  private final ResourceLoader resources;
  private final Supplier<RateLimiter> sharedRateLimiter;
  private final List<WechatPayClientCustomizer> customizers;

  MerchantClientFactory(ResourceLoader resources, Supplier<RateLimiter> sharedRateLimiter,
      List<WechatPayClientCustomizer> customizers) {
    this.resources = resources == null ? new DefaultResourceLoader() : resources;
    this.sharedRateLimiter = sharedRateLimiter;
    this.customizers = customizers;
  }

  /** The client, or {@code null} with the problems added to {@code problems}. */
  WechatPayClient build(Merchant merchant, List<String> problems) {
    MerchantProperties p = merchant.settings();
    Problems found = new Problems(merchant, problems);
    WechatPayClient.Builder builder = WechatPayClient.builder();

    String mchid = p.getMchid();
    if (blank(mchid)) {
      found.add("mchid", "is required: the merchant id of the service provider, in digits");
    } else if (!mchid.matches("[0-9]{1,32}")) {
      found.add("mchid", "must be the merchant id in digits, got '" + mchid + "'");
    } else {
      builder.mchid(mchid);
    }

    PrivateKey key = found.attempt(oneOf(found, p.getPrivateKeyFile(), "private-key-file", p.getPrivateKeyPem(),
        "private-key-pem"), source -> {
          char[] password = p.getPrivateKeyPassword() == null ? null : p.getPrivateKeyPassword().toCharArray();
          return PrivateKeyLoader.fromPem(read(source), password);
        });
    if (key != null) {
      builder.privateKey(key);
    }

    if (!blank(p.getMerchantSerial()) && (p.getMerchantCertificateFile() != null || p.getMerchantCertificatePem() != null)) {
      found.add("merchant-serial", "set either merchant-serial or the merchant certificate, not both");
    } else if (!blank(p.getMerchantSerial())) {
      if (!p.getMerchantSerial().matches("[0-9A-Fa-f]{1,64}")) {
        found.add("merchant-serial", "must be the hex serial of apiclient_cert.pem, got '" + p.getMerchantSerial() + "'");
      } else {
        builder.merchantSerial(p.getMerchantSerial());
      }
    } else {
      Source certificateSource = oneOf(found, p.getMerchantCertificateFile(), "merchant-certificate-file",
          p.getMerchantCertificatePem(), "merchant-certificate-pem");
      X509Certificate certificate = found.attempt(certificateSource, source -> CertificateLoader.fromPem(read(source)));
      if (certificate != null && key != null) {
        if (belongTogether(key, certificate)) {
          builder.merchantSerial(CertificateLoader.serialOf(certificate));
        } else {
          found.add(certificateSource.key, "the private key (" + found.name(p.getPrivateKeyFile() != null
              ? "private-key-file" : "private-key-pem") + ") does not belong to this certificate (serial "
              + CertificateLoader.serialOf(certificate) + "): configure the apiclient_key.pem and apiclient_cert.pem"
              + " issued together");
        }
      }
    }

    if (blank(p.getPublicKeyId())) {
      found.add("public-key-id", "is required: the id of the WeChat Pay public key (PUB_KEY_ID_...), as the merchant"
          + " platform shows it");
    }
    PublicKey publicKey = found.attempt(oneOf(found, p.getPublicKeyFile(), "public-key-file", p.getPublicKeyPem(),
        "public-key-pem"), source -> PublicKeyLoader.fromPem(read(source)));
    if (publicKey != null && !blank(p.getPublicKeyId())) {
      try {
        WechatPayKeySet.builder().publicKey(p.getPublicKeyId(), publicKey).build();
        builder.wechatpayPublicKey(p.getPublicKeyId(), publicKey);
      } catch (RuntimeException e) {
        found.add("public-key-id", e.getMessage());
      }
    }

    if (p.getApiV3Key() != null) {
      int length = p.getApiV3Key().getBytes(StandardCharsets.UTF_8).length;
      if (length != ApiV3Key.LENGTH) {
        found.add("api-v3-key", "must be exactly " + ApiV3Key.LENGTH + " bytes (the AES-256 key set on the merchant"
            + " platform under API security), got " + length);
      } else {
        builder.apiV3Key(p.getApiV3Key());
      }
    }

    String path = p.getNotifyPath();
    if (path != null && !path.startsWith("/")) {
      found.add("notify-path", "must start with /, got '" + path + "'");
    }

    if (!p.getHosts().isEmpty()) {
      builder.hosts(p.getHosts().toArray(new java.net.URI[0]));
    }
    timeouts(p.getTimeouts(), builder, found);
    retry(p.getRetry(), builder, found);
    if (p.getRateLimit() == RateLimit.LOCAL) {
      builder.rateLimited();
    } else if (p.getRateLimit() == RateLimit.SHARED) {
      RateLimiter shared = sharedRateLimiter.get();
      if (shared == null) {
        found.add("rate-limit", "SHARED needs a RateLimiter bean: add wechatpay-partner-fleet-redis and set "
            + WechatPayProperties.PREFIX + ".redis.uri, or declare one");
      } else {
        builder.rateLimiter(shared);
      }
    }

    if (found.any()) {
      return null;
    }
    for (WechatPayClientCustomizer customizer : customizers) {
      customizer.customize(merchant.name(), builder);
    }
    try {
      return builder.build();
    } catch (RuntimeException e) {
      // What the checks above cannot see (hosts that are not origins, a repeated host...).
      found.add(e.getMessage() != null && e.getMessage().startsWith("hosts") ? "hosts" : "", e.getMessage());
      return null;
    }
  }

  private static void timeouts(MerchantProperties.TimeoutProperties t, WechatPayClient.Builder builder, Problems found) {
    Duration connect = found.positive("timeouts.connect", t.getConnect());
    Duration attempt = found.positive("timeouts.attempt", t.getAttempt());
    if (connect != null || attempt != null) {
      builder.timeouts(Timeouts.of(connect != null ? connect : Timeouts.DEFAULT.connect(),
          attempt != null ? attempt : Timeouts.DEFAULT.attempt()));
    }
  }

  private static void retry(MerchantProperties.RetryProperties r, WechatPayClient.Builder builder, Problems found) {
    RetryPolicy.Builder policy = RetryPolicy.defaults().toBuilder();
    boolean changed = false;
    int before = found.count();
    if (r.getMaxAttempts() != null) {
      changed = found.apply("retry.max-attempts", () -> policy.maxAttempts(r.getMaxAttempts()));
    }
    if (r.getMaxTotalTime() != null) {
      changed |= found.apply("retry.max-total-time", () -> policy.maxTotalTime(r.getMaxTotalTime()));
    }
    if (r.getBaseDelay() != null) {
      changed |= found.apply("retry.base-delay", () -> policy.baseDelay(r.getBaseDelay()));
    }
    if (r.getMaxDelay() != null) {
      changed |= found.apply("retry.max-delay", () -> policy.maxDelay(r.getMaxDelay()));
    }
    if (r.getRetryableStatuses() != null) {
      int[] statuses = r.getRetryableStatuses().stream().mapToInt(Integer::intValue).toArray();
      changed |= found.apply("retry.retryable-statuses", () -> policy.retryableStatuses(statuses));
    }
    if (changed && found.count() == before) {
      found.apply("retry.max-delay", () -> builder.retryPolicy(policy.build()));
    }
  }

  /** Whether the private key is the certificate's (the same RSA modulus), as {@code MerchantCredentials} checks. */
  private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
    return key instanceof RSAKey privateKey && certificate.getPublicKey() instanceof RSAKey publicKey
        && privateKey.getModulus().equals(publicKey.getModulus());
  }

  /** Exactly one of a file location and PEM text; null (with a problem added when both are set) otherwise. */
  private static Source oneOf(Problems found, String file, String fileKey, String pem, String pemKey) {
    file = blank(file) ? null : file;
    pem = blank(pem) ? null : pem;
    if (file != null && pem != null) {
      found.add(fileKey, "set either " + found.name(fileKey) + " or " + found.name(pemKey) + ", not both");
      return null;
    }
    if (file == null && pem == null) {
      found.add(fileKey, "is required (or " + found.name(pemKey) + " with the PEM text)");
      return null;
    }
    return file != null ? new Source(fileKey, file, true) : new Source(pemKey, pem, false);
  }

  /** The PEM text of a source: the value itself, or the content of the file it names. */
  private String read(Source source) throws IOException {
    if (!source.file) {
      return source.value;
    }
    String location = source.value.trim();
    Resource resource = location.startsWith(ResourceLoader.CLASSPATH_URL_PREFIX) || location.startsWith("file:")
        ? resources.getResource(location) : new FileSystemResource(location);
    if (!resource.exists()) {
      throw new IOException("file not found: " + describe(resource, location));
    }
    if (!resource.isReadable()) {
      throw new IOException("file cannot be read: " + describe(resource, location));
    }
    return resource.getContentAsString(StandardCharsets.US_ASCII);
  }

  private static String describe(Resource resource, String location) {
    try {
      return resource.isFile() || resource instanceof FileSystemResource
          ? resource.getFile().getAbsolutePath() : location;
    } catch (IOException e) {
      return location;
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** A key's or certificate's value and the property it came from. */
  private record Source(String key, String value, boolean file) {
  }

  private interface Loader<T> {
    T load(Source source) throws Exception;
  }

  /** The problems of one merchant, each prefixed with its full property name. */
  private static final class Problems {
    private final Merchant merchant;
    private final List<String> all;
    private final List<String> mine = new ArrayList<>();

    Problems(Merchant merchant, List<String> all) {
      this.merchant = merchant;
      this.all = all;
    }

    String name(String key) {
      return key.isEmpty() ? merchant.prefix() : merchant.property(key);
    }

    void add(String key, String rule) {
      String line = name(key) + ": " + rule;
      mine.add(line);
      all.add(line);
    }

    boolean any() {
      return !mine.isEmpty();
    }

    int count() {
      return mine.size();
    }

    <T> T attempt(Source source, Loader<T> loader) {
      if (source == null) {
        return null;
      }
      try {
        return loader.load(source);
      } catch (Exception e) {
        add(source.key, e.getMessage());
        return null;
      }
    }

    boolean apply(String key, Runnable setter) {
      try {
        setter.run();
        return true;
      } catch (ConfigurationException e) {
        add(key, e.getMessage());
        return false;
      }
    }

    Duration positive(String key, Duration value) {
      if (value != null && (value.isZero() || value.isNegative())) {
        add(key, "must be positive, got " + value);
        return null;
      }
      return value;
    }
  }
}
