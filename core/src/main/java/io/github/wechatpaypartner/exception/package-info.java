/**
 * Everything the SDK throws, under one unchecked root, {@link
 * io.github.wechatpaypartner.exception.WechatPayException}:
 *
 * <ul>
 *   <li>{@link io.github.wechatpaypartner.exception.ServiceException}: WeChat Pay refused the call
 *       (a signed non-2xx answer: status, code, message, detail, Request-ID), with
 *       {@link io.github.wechatpaypartner.exception.ProbablyProcessedException} for a retry met by
 *       {@code ALREADY_EXISTS};
 *   <li>{@link io.github.wechatpaypartner.exception.GatewayException}: an unsigned non-2xx answer
 *       from something in between;
 *   <li>{@link io.github.wechatpaypartner.exception.ResponseVerificationException}: an answer that
 *       failed its signature checks;
 *   <li>{@link io.github.wechatpaypartner.exception.TransportException}: no answer (unreachable,
 *       timeout, reset, interrupted);
 *   <li>{@link io.github.wechatpaypartner.exception.RequestValidationException}: the request breaks
 *       the spec, nothing sent;
 *   <li>{@link io.github.wechatpaypartner.exception.RateLimitException}: no rate-limit permit in time;
 *   <li>{@link io.github.wechatpaypartner.exception.ConfigurationException} (and
 *       {@link io.github.wechatpaypartner.exception.KeyLoadingException}): unusable settings;
 *   <li>{@link io.github.wechatpaypartner.exception.NotificationException}: a callback to reject.
 * </ul>
 *
 * <p>The classes live in the lowest module, {@code core}, because every module throws them.
 */
package io.github.wechatpaypartner.exception;
