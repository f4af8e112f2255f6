package io.github.wechatpaypartner.benchmarks;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.Security;

/** The two JCA providers compared: the JDK's SunRsaSign and ACCP, both passed explicitly. */
public final class Providers {
  public static final String JDK = "JDK";
  public static final String ACCP = "ACCP";

  private Providers() {
  }

  public static Provider byName(String name) {
    switch (name) {
      case JDK:
        return jdk();
      case ACCP:
        return accp();
      default:
        throw new IllegalArgumentException("provider must be JDK or ACCP, not " + name);
    }
  }

  public static Provider jdk() {
    Provider provider = Security.getProvider("SunRsaSign");
    if (provider == null) {
      throw new IllegalStateException("this JDK has no SunRsaSign provider");
    }
    return provider;
  }

  /** ACCP's singleton; fails loudly rather than measuring a silent fallback. */
  public static Provider accp() {
    AmazonCorrettoCryptoProvider provider = AmazonCorrettoCryptoProvider.INSTANCE;
    if (provider.getLoadingError() != null) {
      throw new IllegalStateException("ACCP native library did not load", provider.getLoadingError());
    }
    provider.assertHealthy();
    return provider;
  }

  /** The key as the provider's own key class, so the provider never converts it per call. */
  @SuppressWarnings("unchecked")
  public static <K extends Key> K adopt(Provider provider, K key) {
    try {
      return (K) KeyFactory.getInstance(key.getAlgorithm(), provider).translateKey(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(provider.getName() + " cannot import a " + key.getAlgorithm() + " key", e);
    }
  }
}
