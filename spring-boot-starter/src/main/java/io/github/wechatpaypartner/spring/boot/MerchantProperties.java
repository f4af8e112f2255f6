package io.github.wechatpaypartner.spring.boot;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The settings of one merchant account: under {@code wechatpay} for an application with one
 * merchant, under {@code wechatpay.merchants.<name>} for each of several. Key and certificate
 * locations are file paths, {@code file:} or {@code classpath:} locations; each may be given as PEM
 * text instead. Unset values keep the client's defaults.
 */
public class MerchantProperties {

  /** The merchant id of the service provider (digits), e.g. 1900000001. */
  private String mchid;

  /** The merchant API private key, apiclient_key.pem (PKCS#8 or PKCS#1): a path, file: or classpath: location. */
  private String privateKeyFile;

  /** The merchant API private key as PEM text, instead of private-key-file. */
  private String privateKeyPem;

  /** The password of an encrypted private key. */
  private String privateKeyPassword;

  /** The merchant API certificate, apiclient_cert.pem: its serial is sent, and the private key must belong to it. */
  private String merchantCertificateFile;

  /** The merchant API certificate as PEM text, instead of merchant-certificate-file. */
  private String merchantCertificatePem;

  /** The merchant API certificate serial (hex), instead of the certificate itself (the key is then not checked against it). */
  private String merchantSerial;

  /** The id of the WeChat Pay public key, PUB_KEY_ID_ followed by digits, as shown on the merchant platform. */
  private String publicKeyId;

  /** The WeChat Pay public key, pub_key.pem: a path, file: or classpath: location. Answers and notifications are verified with it. */
  private String publicKeyFile;

  /** The WeChat Pay public key as PEM text, instead of public-key-file. */
  private String publicKeyPem;

  /** The APIv3 key (exactly 32 bytes) that decrypts notifications; without it this merchant has no notification endpoint. */
  private String apiV3Key;

  /** The path of this merchant's notification endpoint (its notify_url). Default /wechatpay/notify, or /wechatpay/notify/NAME for each of several merchants. */
  private String notifyPath;

  /** The hosts to call, in order; default the service's (api.mch.weixin.qq.com, then api2.mch.weixin.qq.com). Each an origin: http(s), host, optional port. */
  private List<URI> hosts = new ArrayList<>();

  /** Connect and per-attempt timeouts. */
  @NestedConfigurationProperty
  private TimeoutProperties timeouts = new TimeoutProperties();

  /** What is retried and how long to wait. */
  @NestedConfigurationProperty
  private RetryProperties retry = new RetryProperties();

  /** Holding each operation to the spec's rate limit: NONE (default), LOCAL (this JVM) or SHARED (the application's RateLimiter bean, e.g. the Redis fleet's). */
  private RateLimit rateLimit = RateLimit.NONE;

  /** How calls are held to the spec's rate limits ({@code x-wechatpay-rate-limit}). */
  public enum RateLimit {
    /** Not held; the service's 429 is retried. */
    NONE,
    /** Held within this JVM. */
    LOCAL,
    /** Held by the application's {@code RateLimiter} bean, shared by every instance (the Redis fleet's). */
    SHARED
  }

  public String getMchid() {
    return mchid;
  }

  public void setMchid(String mchid) {
    this.mchid = mchid;
  }

  public String getPrivateKeyFile() {
    return privateKeyFile;
  }

  public void setPrivateKeyFile(String privateKeyFile) {
    this.privateKeyFile = privateKeyFile;
  }

  public String getPrivateKeyPem() {
    return privateKeyPem;
  }

  public void setPrivateKeyPem(String privateKeyPem) {
    this.privateKeyPem = privateKeyPem;
  }

  public String getPrivateKeyPassword() {
    return privateKeyPassword;
  }

  public void setPrivateKeyPassword(String privateKeyPassword) {
    this.privateKeyPassword = privateKeyPassword;
  }

  public String getMerchantCertificateFile() {
    return merchantCertificateFile;
  }

  public void setMerchantCertificateFile(String merchantCertificateFile) {
    this.merchantCertificateFile = merchantCertificateFile;
  }

  public String getMerchantCertificatePem() {
    return merchantCertificatePem;
  }

  public void setMerchantCertificatePem(String merchantCertificatePem) {
    this.merchantCertificatePem = merchantCertificatePem;
  }

  public String getMerchantSerial() {
    return merchantSerial;
  }

  public void setMerchantSerial(String merchantSerial) {
    this.merchantSerial = merchantSerial;
  }

  public String getPublicKeyId() {
    return publicKeyId;
  }

  public void setPublicKeyId(String publicKeyId) {
    this.publicKeyId = publicKeyId;
  }

  public String getPublicKeyFile() {
    return publicKeyFile;
  }

  public void setPublicKeyFile(String publicKeyFile) {
    this.publicKeyFile = publicKeyFile;
  }

  public String getPublicKeyPem() {
    return publicKeyPem;
  }

  public void setPublicKeyPem(String publicKeyPem) {
    this.publicKeyPem = publicKeyPem;
  }

  public String getApiV3Key() {
    return apiV3Key;
  }

  public void setApiV3Key(String apiV3Key) {
    this.apiV3Key = apiV3Key;
  }

  public String getNotifyPath() {
    return notifyPath;
  }

  public void setNotifyPath(String notifyPath) {
    this.notifyPath = notifyPath;
  }

  public List<URI> getHosts() {
    return hosts;
  }

  public void setHosts(List<URI> hosts) {
    this.hosts = hosts;
  }

  public TimeoutProperties getTimeouts() {
    return timeouts;
  }

  public void setTimeouts(TimeoutProperties timeouts) {
    this.timeouts = timeouts;
  }

  public RetryProperties getRetry() {
    return retry;
  }

  public void setRetry(RetryProperties retry) {
    this.retry = retry;
  }

  public RateLimit getRateLimit() {
    return rateLimit;
  }

  public void setRateLimit(RateLimit rateLimit) {
    this.rateLimit = rateLimit;
  }

  /** Connect timeout and each attempt's whole answer; unset: the client's 5 s and 10 s. */
  public static class TimeoutProperties {
    /** Time allowed to open the connection (default 5s); a miss fails over to the next host. */
    private Duration connect;

    /** Time allowed from sending a request to the last byte of its answer (default 10s); a miss is retried on the same host. */
    private Duration attempt;

    public Duration getConnect() {
      return connect;
    }

    public void setConnect(Duration connect) {
      this.connect = connect;
    }

    public Duration getAttempt() {
      return attempt;
    }

    public void setAttempt(Duration attempt) {
      this.attempt = attempt;
    }
  }

  /** The retry policy; unset values keep the client's defaults. */
  public static class RetryProperties {
    /** Attempts in all, the first included (default 3); 1 turns retries off. */
    private Integer maxAttempts;

    /** No wait starts that would end later than this after the call began (default 30s). */
    private Duration maxTotalTime;

    /** Backoff ceiling before the first retry, doubling per retry (default 500ms). */
    private Duration baseDelay;

    /** The backoff ceiling never grows past this (default 5s). */
    private Duration maxDelay;

    /** HTTP statuses answered by the service that are retried, each 400-599 (default 429, 500). */
    private List<Integer> retryableStatuses;

    public Integer getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public Duration getMaxTotalTime() {
      return maxTotalTime;
    }

    public void setMaxTotalTime(Duration maxTotalTime) {
      this.maxTotalTime = maxTotalTime;
    }

    public Duration getBaseDelay() {
      return baseDelay;
    }

    public void setBaseDelay(Duration baseDelay) {
      this.baseDelay = baseDelay;
    }

    public Duration getMaxDelay() {
      return maxDelay;
    }

    public void setMaxDelay(Duration maxDelay) {
      this.maxDelay = maxDelay;
    }

    public List<Integer> getRetryableStatuses() {
      return retryableStatuses;
    }

    public void setRetryableStatuses(List<Integer> retryableStatuses) {
      this.retryableStatuses = retryableStatuses;
    }
  }
}
