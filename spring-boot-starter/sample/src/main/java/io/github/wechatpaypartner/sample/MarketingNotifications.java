package io.github.wechatpaypartner.sample;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wechatpaypartner.client.model.DeliveryPlanChange;
import io.github.wechatpaypartner.client.model.ProductCouponSend;
import io.github.wechatpaypartner.spring.boot.WechatPayNotificationEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The application's side of notifications: each verified, decrypted event once per event id, typed.
 * Throwing here answers the delivery 500 FAIL, and WeChat Pay delivers it again later.
 */
@Component
class MarketingNotifications {
  private static final Logger LOG = LoggerFactory.getLogger(MarketingNotifications.class);

  @EventListener
  void planChanged(WechatPayNotificationEvent<DeliveryPlanChange> event) {
    DeliveryPlanChange change = event.getResource();
    LOG.info("{} {}: plan {} is {} ({})", event.getEventType(), event.getEventId(), change.getPlanId(),
        change.getPlanState(), change.getChangeReason());
  }

  @EventListener
  void couponSent(WechatPayNotificationEvent<ProductCouponSend> event) {
    ProductCouponSend sent = event.getResource();
    LOG.info("{} {}: coupon {} of stock {} to {}", event.getEventType(), event.getEventId(), sent.getCouponCode(),
        sent.getStockId(), sent.getOpenid());
  }

  @EventListener
  void unknown(WechatPayNotificationEvent<JsonNode> event) {
    LOG.info("{} {} (not known to this SDK version): {}", event.getEventType(), event.getEventId(), event.getResource());
  }
}
