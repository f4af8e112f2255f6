package io.github.wechatpaypartner.client.hook;

import java.util.Map;

/**
 * Called once per attempt, just before the request is sent, with the exact bytes that will be
 * sent. Returns the headers to add to this attempt (e.g. {@code Authorization},
 * {@code Wechatpay-Serial}). Throwing stops the call before anything is sent.
 */
@FunctionalInterface
public interface RequestHook {
  Map<String, String> headersFor(OutgoingRequest request);

  /** A hook that adds nothing. */
  RequestHook NONE = request -> Map.of();
}
