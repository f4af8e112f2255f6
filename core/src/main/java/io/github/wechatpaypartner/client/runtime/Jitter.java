package io.github.wechatpaypartner.client.runtime;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks the actual backoff wait below a ceiling. {@link #FULL} is "full jitter" (uniform in
 * {@code [0, ceiling]}), which spreads clients that failed together so they do not retry in
 * lockstep against a service that is already rate limiting them. Tests inject a fixed choice.
 */
@FunctionalInterface
public interface Jitter {

  /** Returns a wait between zero and {@code ceiling}, both included. */
  Duration pick(Duration ceiling);

  /** Uniformly random in {@code [0, ceiling]}. */
  Jitter FULL = ceiling -> ceiling.isZero()
      ? Duration.ZERO
      : Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling.toNanos() + 1));

  /** No randomness: always the ceiling (plain exponential backoff). */
  Jitter NONE = ceiling -> ceiling;
}
