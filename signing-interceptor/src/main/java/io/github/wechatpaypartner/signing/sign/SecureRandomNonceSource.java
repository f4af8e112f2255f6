package io.github.wechatpaypartner.signing.sign;

import java.security.SecureRandom;
import java.util.Objects;

/** 16 random bytes as 32 upper-case hex characters. */
final class SecureRandomNonceSource implements NonceSource {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  private final SecureRandom random;

  SecureRandomNonceSource(SecureRandom random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public String nextNonce() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    char[] out = new char[32];
    for (int i = 0; i < 16; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
      out[2 * i + 1] = HEX[bytes[i] & 0xF];
    }
    return new String(out);
  }

  @Override
  public String toString() {
    return "NonceSource[SecureRandom " + random.getAlgorithm() + "]";
  }
}
