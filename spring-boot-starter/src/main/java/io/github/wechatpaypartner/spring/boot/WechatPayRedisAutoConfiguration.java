package io.github.wechatpaypartner.spring.boot;

import io.github.wechatpaypartner.client.notification.EventStore;
import io.github.wechatpaypartner.client.runtime.RateLimiter;
import io.github.wechatpaypartner.fleet.redis.RedisFleet;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * With {@code wechatpay-partner-fleet-redis} on the class path: a {@link RedisFleet} from {@code
 * wechatpay.redis.uri} (unless the application declares one), and from any {@link RedisFleet} bean
 * the {@link EventStore} every instance de-duplicates notifications in and the {@link RateLimiter}
 * that {@code rate-limit: SHARED} uses. Without the module or a fleet, notifications are
 * de-duplicated in memory.
 */
@AutoConfiguration(before = WechatPayAutoConfiguration.class)
@ConditionalOnClass(RedisFleet.class)
@EnableConfigurationProperties(WechatPayProperties.class)
public class WechatPayRedisAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = WechatPayProperties.PREFIX + ".redis", name = "uri")
  public RedisFleet wechatPayRedisFleet(WechatPayProperties properties) {
    WechatPayProperties.RedisProperties redis = properties.getRedis();
    try {
      return RedisFleet.builder(redis.getUri()).keyPrefix(redis.getKeyPrefix()).build();
    } catch (RuntimeException e) {
      throw new InvalidWechatPayPropertiesException(List.of(WechatPayProperties.PREFIX + ".redis.uri: "
          + e.getMessage()));
    }
  }

  @Bean
  @ConditionalOnBean(RedisFleet.class)
  @ConditionalOnMissingBean(EventStore.class)
  public EventStore wechatPayEventStore(RedisFleet fleet) {
    return fleet.eventStore();
  }

  @Bean
  @ConditionalOnBean(RedisFleet.class)
  @ConditionalOnMissingBean(RateLimiter.class)
  public RateLimiter wechatPayRateLimiter(RedisFleet fleet) {
    return fleet.rateLimiter();
  }
}
