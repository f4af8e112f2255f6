package io.github.wechatpaypartner.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * When Micrometer is on the class path and the application has a {@link MeterRegistry}, every
 * merchant's client reports its calls and attempts to it ({@link MicrometerCallListener}). The
 * registry is looked up when the clients are built, so no ordering against the actuator's
 * auto-configuration is needed; without a registry nothing is added.
 */
@AutoConfiguration
@ConditionalOnClass(MeterRegistry.class)
public class WechatPayMetricsAutoConfiguration {

  @Bean
  public WechatPayClientCustomizer wechatPayMetricsCustomizer(ObjectProvider<MeterRegistry> registry) {
    return (merchant, builder) -> registry.ifAvailable(r -> builder.listener(new MicrometerCallListener(r, merchant)));
  }
}
