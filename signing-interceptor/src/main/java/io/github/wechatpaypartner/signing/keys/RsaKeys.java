package io.github.wechatpaypartner.signing.keys;

import io.github.wechatpaypartner.exception.KeyLoadingException;
import java.security.Key;
import java.security.interfaces.RSAKey;

/** The one rule every key of this scheme obeys: RSA, at least 2048 bits. */
public final class RsaKeys {
  public static final int MIN_BITS = 2048;

  private RsaKeys() {}

  /** Returns {@code key} when it is an RSA key of at least 2048 bits, else fails naming {@code what}. */
  public static <K extends Key> K requireRsa2048(K key, String what) {
    if (key == null) {
      throw new KeyLoadingException(what + " is missing (null); expected an RSA key of at least "
          + MIN_BITS + " bits");
    }
    if (!(key instanceof RSAKey)) {
      throw new KeyLoadingException(what + " is " + key.getAlgorithm() + " ("
          + key.getClass().getSimpleName() + "); WeChat Pay APIv3 uses RSA keys of at least "
          + MIN_BITS + " bits");
    }
    int bits = ((RSAKey) key).getModulus().bitLength();
    if (bits < MIN_BITS) {
      throw new KeyLoadingException(what + " is an RSA key of " + bits
          + " bits; at least " + MIN_BITS + " bits are required");
    }
    return key;
  }
}
