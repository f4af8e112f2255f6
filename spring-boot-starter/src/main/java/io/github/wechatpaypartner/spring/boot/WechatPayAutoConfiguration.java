package io.github.wechatpaypartner.spring.boot;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.notification.EventStore;
import io.github.wechatpaypartner.client.notification.InMemoryEventStore;
import io.github.wechatpaypartner.client.notification.NotificationHandler;
import io.github.wechatpaypartner.client.runtime.RateLimiter;
import io.github.wechatpaypartner.spring.boot.WechatPayProperties.Merchant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ResourceLoader;

/**
 * A {@link WechatPayClient} per configured merchant ({@link WechatPayProperties}), the registry
 * {@link WechatPayClients}, the {@link EventStore} notifications are de-duplicated in (in memory
 * unless the application or {@link WechatPayRedisAutoConfiguration} provides one) and {@link
 * WechatPayNotifications}. Wrong properties stop the start with {@link
 * InvalidWechatPayPropertiesException}, every problem named.
 */
@AutoConfiguration
@EnableConfigurationProperties(WechatPayProperties.class)
@Import({WechatPayClientBeans.class, WechatPayNotificationEndpoints.class})
public class WechatPayAutoConfiguration {
  static final String DEFAULT_NOTIFY_PATH = "/wechatpay/notify";

  @Bean
  @ConditionalOnMissingBean(EventStore.class)
  public EventStore wechatPayEventStore() {
    return new InMemoryEventStore();
  }

  @Bean
  public WechatPayClients wechatPayClients(WechatPayProperties properties, ResourceLoader resourceLoader,
      ObjectProvider<RateLimiter> rateLimiter, ObjectProvider<WechatPayClientCustomizer> customizers) {
    List<String> problems = new ArrayList<>();
    MerchantClientFactory factory = new MerchantClientFactory(resourceLoader, rateLimiter::getIfUnique,
        customizers.orderedStream().toList());
    Map<String, WechatPayClient> clients = new LinkedHashMap<>();
    Map<String, String> pathOwners = new LinkedHashMap<>();
    for (Merchant merchant : properties.configuredMerchants()) {
      WechatPayClient client = factory.build(merchant, problems);
      if (client != null) {
        clients.put(merchant.name(), client);
      }
      String path = notifyPath(merchant);
      if (merchant.settings().getNotifyPath() != null && merchant.settings().getApiV3Key() == null) {
        problems.add(merchant.property("notify-path") + ": needs " + merchant.property("api-v3-key")
            + " to verify and decrypt what arrives there");
      }
      String owner = merchant.settings().getApiV3Key() == null ? null
          : pathOwners.putIfAbsent(path, merchant.property("notify-path"));
      if (owner != null) {
        problems.add(merchant.property("notify-path") + ": " + path + " is already the path of " + owner
            + "; each merchant needs its own");
      }
    }
    NotificationProperties.check(properties.getNotification(), problems);
    if (!problems.isEmpty()) {
      throw new InvalidWechatPayPropertiesException(problems);
    }
    return new WechatPayClients(clients);
  }

  @Bean
  @ConditionalOnMissingBean
  public WechatPayNotifications wechatPayNotifications(WechatPayProperties properties, WechatPayClients clients,
      EventStore eventStore, ApplicationEventPublisher publisher) {
    Map<String, WechatPayNotifications.Endpoint> endpoints = new LinkedHashMap<>();
    for (Merchant merchant : properties.configuredMerchants()) {
      WechatPayClient client = clients.get(merchant.name());
      client.notificationParser().ifPresent(parser -> {
        String mchid = merchant.settings().getMchid();
        NotificationHandler.Builder handler = NotificationHandler.builder(parser)
            .store(new MchidScopedEventStore(eventStore, mchid));
        NotificationProperties.apply(properties.getNotification(), handler);
        endpoints.put(merchant.name(), new WechatPayNotifications.Endpoint(notifyPath(merchant), mchid, handler.build()));
      });
    }
    return new WechatPayNotifications(endpoints, publisher);
  }

  /** The merchant's notify-path, else {@code /wechatpay/notify} (one merchant) or {@code /wechatpay/notify/NAME}. */
  static String notifyPath(Merchant merchant) {
    String path = merchant.settings().getNotifyPath();
    if (path != null) {
      return path;
    }
    return WechatPayProperties.SINGLE_MERCHANT.equals(merchant.name()) && merchant.prefix().equals(WechatPayProperties.PREFIX)
        ? DEFAULT_NOTIFY_PATH : DEFAULT_NOTIFY_PATH + "/" + merchant.name();
  }

  /** The shared {@code wechatpay.notification.*} timings, checked by name and applied to each handler. */
  static final class NotificationProperties {
    private static final String PREFIX = WechatPayProperties.PREFIX + ".notification.";

    private NotificationProperties() {
    }

    static void check(WechatPayProperties.NotificationProperties n, List<String> problems) {
      positive(PREFIX + "lease", n.getLease(), problems);
      positive(PREFIX + "retention", n.getRetention(), problems);
      if (n.getDuplicateWait() == null || n.getDuplicateWait().isNegative()) {
        problems.add(PREFIX + "duplicate-wait: must not be negative, got " + n.getDuplicateWait());
      }
    }

    static void apply(WechatPayProperties.NotificationProperties n, NotificationHandler.Builder handler) {
      handler.lease(n.getLease()).retention(n.getRetention()).duplicateWait(n.getDuplicateWait());
      if (n.isDeferDuplicatesInProgress()) {
        handler.deferDuplicatesInProgress();
      }
    }

    private static void positive(String property, java.time.Duration value, List<String> problems) {
      if (value == null || value.isZero() || value.isNegative()) {
        problems.add(property + ": must be positive, got " + value);
      }
    }
  }
}
