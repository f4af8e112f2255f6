/**
 * The service's side of the signatures, for code that plays WeChat Pay (the sandbox, tests):
 * {@link io.github.wechatpaypartner.testkit.ServiceSigner} signs answers and callbacks,
 * {@link io.github.wechatpaypartner.testkit.RequestAuthentication} checks a request's
 * {@code Authorization}. A client never needs them.
 */
package io.github.wechatpaypartner.testkit;
