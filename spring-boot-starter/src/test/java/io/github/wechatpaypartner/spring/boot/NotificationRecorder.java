package io.github.wechatpaypartner.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wechatpaypartner.client.model.DeliveryPlanChange;
import io.github.wechatpaypartner.client.model.ProductCouponSend;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.event.EventListener;

/** The test application's listeners: one per resource type, recording what arrives; can fail on demand. */
class NotificationRecorder {
  final List<WechatPayNotificationEvent<DeliveryPlanChange>> plans = new CopyOnWriteArrayList<>();
  final List<WechatPayNotificationEvent<ProductCouponSend>> coupons = new CopyOnWriteArrayList<>();
  final List<WechatPayNotificationEvent<JsonNode>> unknown = new CopyOnWriteArrayList<>();
  /** How many of the next DELIVERY_PLAN.CHANGE events the listener refuses by throwing. */
  final AtomicInteger planFailures = new AtomicInteger();
  final AtomicInteger planRuns = new AtomicInteger();

  @EventListener
  void planChanged(WechatPayNotificationEvent<DeliveryPlanChange> event) {
    planRuns.incrementAndGet();
    if (planFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("the listener fails on purpose");
    }
    plans.add(event);
  }

  @EventListener
  void couponSent(WechatPayNotificationEvent<ProductCouponSend> event) {
    coupons.add(event);
  }

  @EventListener
  void somethingNew(WechatPayNotificationEvent<JsonNode> event) {
    unknown.add(event);
  }

  void clear() {
    plans.clear();
    coupons.clear();
    unknown.clear();
    planFailures.set(0);
    planRuns.set(0);
  }
}
