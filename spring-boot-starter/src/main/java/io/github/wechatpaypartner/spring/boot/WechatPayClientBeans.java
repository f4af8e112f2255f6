package io.github.wechatpaypartner.spring.boot;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.spring.boot.WechatPayProperties.Merchant;
import java.util.List;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * One {@link WechatPayClient} bean per configured merchant, taken from {@link WechatPayClients}:
 * {@code wechatPayClient} for one merchant directly under {@code wechatpay}; {@code
 * wechatPayClient.NAME}, qualified {@code NAME}, for each under {@code wechatpay.merchants}.
 */
class WechatPayClientBeans implements ImportBeanDefinitionRegistrar {
  private final Environment environment;
  private final BeanFactory beanFactory;

  WechatPayClientBeans(Environment environment, BeanFactory beanFactory) {
    this.environment = environment;
    this.beanFactory = beanFactory;
  }

  @Override
  public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    WechatPayProperties properties = Binder.get(environment)
        .bind(WechatPayProperties.PREFIX, WechatPayProperties.class).orElseGet(WechatPayProperties::new);
    List<Merchant> merchants;
    try {
      merchants = properties.configuredMerchants();
    } catch (InvalidWechatPayPropertiesException e) {
      return; // reported by name when the WechatPayClients bean is made
    }
    for (Merchant merchant : merchants) {
      String name = merchant.prefix().equals(WechatPayProperties.PREFIX)
          ? "wechatPayClient" : "wechatPayClient." + merchant.name();
      if (registry.containsBeanDefinition(name)) {
        continue;
      }
      RootBeanDefinition definition = new RootBeanDefinition(WechatPayClient.class,
          () -> beanFactory.getBean(WechatPayClients.class).get(merchant.name()));
      definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, merchant.name()));
      registry.registerBeanDefinition(name, definition);
    }
  }
}
