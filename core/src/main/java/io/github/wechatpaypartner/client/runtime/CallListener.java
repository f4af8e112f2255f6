package io.github.wechatpaypartner.client.runtime;

import io.github.wechatpaypartner.exception.Attempt;
import io.github.wechatpaypartner.exception.WechatPayException;
import java.time.Duration;
import java.util.List;

/**
 * Told of each attempt and each call as they end: where a metrics or tracing binding hooks in
 * without the client depending on one. Runs on the call's thread, after the attempt or call it
 * reports; it must be quick and thread-safe. What it throws is caught and logged at DEBUG: a
 * listener never changes a call's result.
 */
public interface CallListener {
  /**
   * One attempt ended.
   *
   * @param attempt host, status, WeChat Pay error code, Request-ID, latency, and the wait before it
   *     (a retry's backoff or {@code Retry-After}, or a failover)
   */
  default void attemptEnded(Operation operation, Attempt attempt) {
  }

  /**
   * One call ended.
   *
   * @param attempts every attempt, first first
   * @param duration from the call's start to its end, waits included
   * @param failure what the call throws, or {@code null} when it succeeded
   */
  default void callEnded(Operation operation, List<Attempt> attempts, Duration duration,
      WechatPayException failure) {
  }
}
