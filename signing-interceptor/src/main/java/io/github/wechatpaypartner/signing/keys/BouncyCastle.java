package io.github.wechatpaypartner.signing.keys;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Bouncy Castle's provider for PEM decryption (PBES2 and OpenSSL's legacy scheme), created on
 * first use and handed to BC's builders explicitly: it is never installed with
 * {@code Security.addProvider}. It holds no keys.
 */
final class BouncyCastle {
  private BouncyCastle() {}

  static Provider provider() {
    return Holder.PROVIDER;
  }

  private static final class Holder {
    static final Provider PROVIDER = new BouncyCastleProvider();
  }
}
