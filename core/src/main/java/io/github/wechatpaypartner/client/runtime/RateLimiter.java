package io.github.wechatpaypartner.client.runtime;

import io.github.wechatpaypartner.exception.RateLimitException;

/**
 * Holds each attempt back until the operation's rate limit allows it. The client asks before
 * every attempt (retries included, since the service counts every request) of an operation whose
 * spec states an {@code x-wechatpay-rate-limit}; operations without one are never throttled.
 *
 * <p>{@link LocalRateLimiter} limits one JVM; a fleet of instances shares a limit through an
 * implementation backed by a shared store (see the Redis module). Implementations must be
 * thread-safe.
 */
@FunctionalInterface
public interface RateLimiter {

  /**
   * Returns once a permit for {@code operationId} of merchant {@code mchid} is taken.
   *
   * @param permitsPerSecond the operation's limit from the spec
   * @throws RateLimitException when no permit can be had within the limiter's bounded wait
   *     (nothing is sent then)
   * @throws InterruptedException when the waiting thread is interrupted
   */
  void acquire(String mchid, String operationId, int permitsPerSecond) throws InterruptedException;
}
