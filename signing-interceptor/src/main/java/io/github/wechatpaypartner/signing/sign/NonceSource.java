package io.github.wechatpaypartner.signing.sign;

import java.security.SecureRandom;

/** Supplies the {@code nonce_str} of each request. Replaceable in tests; must be thread-safe. */
@FunctionalInterface
public interface NonceSource {
  String nextNonce();

  /** 32 upper-case hex characters (128 bits) from a {@link SecureRandom}. */
  static NonceSource secureRandom() {
    return secureRandom(new SecureRandom());
  }

  /** 32 upper-case hex characters from the given generator (SecureRandom is thread-safe). */
  static NonceSource secureRandom(SecureRandom random) {
    return new SecureRandomNonceSource(random);
  }
}
