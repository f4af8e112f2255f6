/**
 * Hand-written resilience decorators of {@link io.github.wechatpaypartner.client.hook.Exchange}:
 * {@link io.github.wechatpaypartner.client.resilience.RetryingExchange} (retries on 429/500,
 * connection failures and timeouts; failover from api.mch.weixin.qq.com to api2),
 * {@link io.github.wechatpaypartner.client.resilience.RateLimitingExchange} (per-operation
 * permit spacing) and {@link io.github.wechatpaypartner.client.resilience.Timeouts} (the values
 * the HTTP exchange applies). They depend on the hook contract only, never on generated code.
 *
 * <p>Recommended stack: {@code new RetryingExchange(RateLimitingExchange.builder(http).build())},
 * where {@code http} calls the request hook on every attempt and the response hook on every answer.
 */
package io.github.wechatpaypartner.client.resilience;
