package io.github.wechatpaypartner.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * {@code wechatpay.*}: one merchant directly under {@code wechatpay} (its client bean is
 * {@code wechatPayClient}), or several under {@code wechatpay.merchants.<name>} (one client bean
 * each, qualified by the name); not both. The notification and Redis settings are shared.
 */
@ConfigurationProperties(prefix = WechatPayProperties.PREFIX)
public class WechatPayProperties extends MerchantProperties {
  public static final String PREFIX = "wechatpay";
  /** The name of the one merchant configured directly under {@code wechatpay}. */
  public static final String SINGLE_MERCHANT = "default";

  /** Several merchant accounts by name, each with the settings of a single one (mchid, keys, api-v3-key, notify-path...). */
  private Map<String, MerchantProperties> merchants = new LinkedHashMap<>();

  /** How notifications are de-duplicated. */
  @NestedConfigurationProperty
  private NotificationProperties notification = new NotificationProperties();

  /** The Redis that every instance of the application shares (needs wechatpay-partner-fleet-redis). */
  @NestedConfigurationProperty
  private RedisProperties redis = new RedisProperties();

  public Map<String, MerchantProperties> getMerchants() {
    return merchants;
  }

  public void setMerchants(Map<String, MerchantProperties> merchants) {
    this.merchants = merchants;
  }

  public NotificationProperties getNotification() {
    return notification;
  }

  public void setNotification(NotificationProperties notification) {
    this.notification = notification;
  }

  public RedisProperties getRedis() {
    return redis;
  }

  public void setRedis(RedisProperties redis) {
    this.redis = redis;
  }

  /** One configured merchant: its name, the property prefix its settings are under, its settings. */
  record Merchant(String name, String prefix, MerchantProperties settings) {
    String property(String key) {
      return prefix + "." + key;
    }
  }

  /** Whether {@code wechatpay.mchid} (or another merchant key) is set directly under {@code wechatpay}. */
  boolean singleMerchant() {
    return getMchid() != null || getPrivateKeyFile() != null || getPrivateKeyPem() != null
        || getPublicKeyId() != null || getApiV3Key() != null;
  }

  /**
   * The configured merchants, in order.
   *
   * @throws InvalidWechatPayPropertiesException when both forms are used
   */
  List<Merchant> configuredMerchants() {
    List<Merchant> list = new ArrayList<>();
    if (singleMerchant()) {
      if (!merchants.isEmpty()) {
        throw new InvalidWechatPayPropertiesException(List.of(PREFIX + ".merchants: set one merchant directly under "
            + PREFIX + " (" + PREFIX + ".mchid...) or several under " + PREFIX + ".merchants.<name>, not both; found "
            + PREFIX + ".mchid and " + PREFIX + ".merchants." + merchants.keySet()));
      }
      list.add(new Merchant(SINGLE_MERCHANT, PREFIX, this));
    } else {
      merchants.forEach((name, settings) -> list.add(new Merchant(name, PREFIX + ".merchants." + name, settings)));
    }
    return list;
  }

  /** The notification handler's timings, shared by every merchant's endpoint. */
  public static class NotificationProperties {
    /** How long a delivery holds an event while the listeners run; past it another delivery may run them too. */
    private Duration lease = Duration.ofMinutes(2);

    /** How long a handled event id is remembered; a duplicate after it runs the listeners again. */
    private Duration retention = Duration.ofHours(24);

    /** How long a duplicate waits for a delivery of the same event that is still running. */
    private Duration duplicateWait = Duration.ofSeconds(2);

    /** Answer 503 (deliver again later) rather than 200 to a duplicate whose first delivery is still running after duplicate-wait. */
    private boolean deferDuplicatesInProgress;

    public Duration getLease() {
      return lease;
    }

    public void setLease(Duration lease) {
      this.lease = lease;
    }

    public Duration getRetention() {
      return retention;
    }

    public void setRetention(Duration retention) {
      this.retention = retention;
    }

    public Duration getDuplicateWait() {
      return duplicateWait;
    }

    public void setDuplicateWait(Duration duplicateWait) {
      this.duplicateWait = duplicateWait;
    }

    public boolean isDeferDuplicatesInProgress() {
      return deferDuplicatesInProgress;
    }

    public void setDeferDuplicatesInProgress(boolean deferDuplicatesInProgress) {
      this.deferDuplicatesInProgress = deferDuplicatesInProgress;
    }
  }

  /** The fleet's Redis: with wechatpay-partner-fleet-redis on the class path and a uri, notifications are de-duplicated there. */
  public static class RedisProperties {
    /** The Redis every instance shares, e.g. redis://redis.internal:6379/0; it must be reachable at start. */
    private String uri;

    /** Prefix of every key written; instances that share one record and one limit share it. */
    private String keyPrefix = "wechatpay-partner:";

    public String getUri() {
      return uri;
    }

    public void setUri(String uri) {
      this.uri = uri;
    }

    public String getKeyPrefix() {
      return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }
  }
}
