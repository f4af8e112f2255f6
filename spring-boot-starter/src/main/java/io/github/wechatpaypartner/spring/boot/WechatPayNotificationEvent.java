package io.github.wechatpaypartner.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wechatpaypartner.signing.notification.Notification;
import org.springframework.context.ApplicationEvent;
import org.springframework.core.ResolvableType;
import org.springframework.core.ResolvableTypeProvider;

/**
 * A verified, decrypted WeChat Pay notification, published once per event id (per merchant) while
 * the service's delivery waits for its answer. The resource is typed by the event type: {@code
 * DeliveryPlanChange} for {@code DELIVERY_PLAN.CHANGE}, {@code ProductCouponSend} for {@code
 * PRODUCT_COUPON_SP.SEND} (generated models, {@code io.github.wechatpaypartner.client.model}),
 * a {@link JsonNode} for an event type this version does not know. Listen with the type you want:
 *
 * <pre>{@code
 * @EventListener
 * void planChanged(WechatPayNotificationEvent<DeliveryPlanChange> event) {
 *   DeliveryPlanChange change = event.getResource();   // event.getMerchant(), getEventId()...
 * }
 * }</pre>
 *
 * <p>Listeners run on the request's thread: when one throws, the delivery is answered 500 {@code
 * FAIL}, the event is not recorded as handled, and the service delivers it again later. An
 * asynchronous listener ({@code @Async}) gives that up: its failure cannot ask for a new delivery.
 */
public class WechatPayNotificationEvent<T> extends ApplicationEvent implements ResolvableTypeProvider {
  private static final long serialVersionUID = 1L;

  private final String merchant;
  private final String mchid;
  private final transient Notification notification;
  private final transient T resource;
  private final Class<?> resourceType;

  WechatPayNotificationEvent(Object source, String merchant, String mchid, Notification notification, T resource,
      Class<?> resourceType) {
    super(source);
    this.merchant = merchant;
    this.mchid = mchid;
    this.notification = notification;
    this.resource = resource;
    this.resourceType = resourceType;
  }

  /** The merchant's name: {@code default}, or its key under {@code wechatpay.merchants}. */
  public String getMerchant() {
    return merchant;
  }

  public String getMchid() {
    return mchid;
  }

  /** The envelope and the decrypted resource (id, create time, summary, JSON text...). */
  public Notification getNotification() {
    return notification;
  }

  public String getEventId() {
    return notification.id();
  }

  /** {@code DELIVERY_PLAN.CHANGE}, {@code PRODUCT_COUPON_SP.SEND}... */
  public String getEventType() {
    return notification.eventType();
  }

  /** The decrypted resource: the generated model of the event type, or a {@link JsonNode}. */
  public T getResource() {
    return resource;
  }

  @Override
  public ResolvableType getResolvableType() {
    return ResolvableType.forClassWithGenerics(getClass(), ResolvableType.forClass(resourceType));
  }

  @Override
  public String toString() {
    return "WechatPayNotificationEvent[" + merchant + ", " + notification + "]";
  }
}
