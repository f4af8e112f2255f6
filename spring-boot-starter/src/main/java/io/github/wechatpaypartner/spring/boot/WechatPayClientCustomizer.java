package io.github.wechatpaypartner.spring.boot;

import io.github.wechatpaypartner.WechatPayClient;

/**
 * Changes a merchant's client builder after the properties are applied and before it is built
 * (interceptors, an executor, a crypto provider...). Every bean of this type is applied, in
 * {@code @Order}.
 */
@FunctionalInterface
public interface WechatPayClientCustomizer {

  /**
   * @param merchant the merchant's name: {@code default} for one configured directly under
   *     {@code wechatpay}, else its key under {@code wechatpay.merchants}
   */
  void customize(String merchant, WechatPayClient.Builder builder);
}
