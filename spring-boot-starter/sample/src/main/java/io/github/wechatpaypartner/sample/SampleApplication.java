package io.github.wechatpaypartner.sample;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest;
import io.github.wechatpaypartner.client.model.DeliveryPlan;
import io.github.wechatpaypartner.exception.ServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A service provider's application: the merchant's client and notification endpoint come from
 * application.yml; at start it creates a delivery plan, whose DELIVERY_PLAN.CHANGE notification
 * then arrives at /wechatpay/notify and is logged by {@link MarketingNotifications}.
 */
@SpringBootApplication
public class SampleApplication {
  private static final Logger LOG = LoggerFactory.getLogger(SampleApplication.class);

  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }

  @Bean
  ApplicationRunner createDeliveryPlan(WechatPayClient client) {
    return args -> {
      try {
        // a coupon and stock of the sandbox's seed (the spec's createDeliveryPlan example)
        DeliveryPlan plan = client.deliveryPlanApi().createDeliveryPlan(new CreateDeliveryPlanRequest()
            .outRequestNo("sample-" + System.currentTimeMillis()).brandId("40016")
            .productCouponId("701146876221757924829193824428").stockId("701246876221757924829194755312")
            .planName("冬季饮料投放").userLimit(1L)).getPlan();
        LOG.info("Created delivery plan {} ({}); its notification follows", plan.getPlanId(), plan.getPlanState());
      } catch (ServiceException e) {
        LOG.warn("WeChat Pay refused: {} {} {}", e.statusCode(), e.errorCode(), e.errorMessage());
      }
    };
  }
}
