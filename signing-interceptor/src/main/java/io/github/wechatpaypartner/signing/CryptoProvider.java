package io.github.wechatpaypartner.signing;

import io.github.wechatpaypartner.exception.ConfigurationException;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;

/**
 * Which JCA provider computes SHA256withRSA (and AES-GCM for callbacks).
 *
 * <p>The provider is handed to each {@code getInstance} call and never installed globally, so
 * several clients in one JVM can use different providers. RSA PKCS#1 v1.5 signatures are
 * deterministic: every provider yields the same bytes, only speed differs.
 */
public final class CryptoProvider {
  public static final String SIGNATURE_ALGORITHM = "SHA256withRSA";
  static final String CORRETTO_CLASS =
      "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
  private static final String JDK_RSA_PROVIDER = "SunRsaSign";
  private static final System.Logger LOG = System.getLogger(CryptoProvider.class.getName());

  /** {@code null} means the JDK's default provider lookup. */
  private final Provider provider;

  private CryptoProvider(Provider provider) {
    this.provider = provider;
  }

  /** The JDK's own RSA provider (SunRsaSign), or the default lookup if that is absent. */
  public static CryptoProvider jdk() {
    return new CryptoProvider(Security.getProvider(JDK_RSA_PROVIDER));
  }

  /** An explicit provider, e.g. Bouncy Castle's or an HSM's. It is not installed globally. */
  public static CryptoProvider of(Provider provider) {
    return new CryptoProvider(Objects.requireNonNull(provider, "provider"));
  }

  /**
   * The Amazon Corretto Crypto Provider when it is on the classpath and healthy (its native
   * library loaded and self-tests passed), else the JDK's. This is the default of every builder.
   */
  public static CryptoProvider detect() {
    return amazonCorretto().map(CryptoProvider::new).orElseGet(CryptoProvider::jdk);
  }

  /**
   * ACCP's singleton, looked up by reflection so that this module has no compile dependency on
   * it. Empty when it is absent or unhealthy (e.g. on a platform without its native library).
   */
  public static Optional<Provider> amazonCorretto() {
    return amazonCorretto(CORRETTO_CLASS, CryptoProvider.class.getClassLoader());
  }

  /** The lookup itself, with the class name as a parameter so tests can use stand-ins. */
  static Optional<Provider> amazonCorretto(String className, ClassLoader loader) {
    Class<?> type;
    try {
      type = Class.forName(className, true, loader);
    } catch (ClassNotFoundException | LinkageError absent) {
      return Optional.empty();
    }
    try {
      Provider instance = (Provider) type.getField("INSTANCE").get(null);
      Method loadingError = type.getMethod("getLoadingError");
      Object error = loadingError.invoke(instance);
      if (error != null) {
        LOG.log(Level.WARNING, "Amazon Corretto Crypto Provider is on the classpath but could not load: "
            + error + "; using the JDK provider");
        return Optional.empty();
      }
      // Throws when a self-test failed.
      type.getMethod("assertHealthy").invoke(instance);
      LOG.log(Level.DEBUG, () -> "Using Amazon Corretto Crypto Provider " + instance.getVersionStr());
      return Optional.of(instance);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError unhealthy) {
      Throwable cause = unhealthy.getCause() != null ? unhealthy.getCause() : unhealthy;
      LOG.log(Level.WARNING, "Amazon Corretto Crypto Provider is on the classpath but not healthy: "
          + cause + "; using the JDK provider");
      return Optional.empty();
    }
  }

  /** The provider, or empty for the JDK's default lookup. */
  public Optional<Provider> provider() {
    return Optional.ofNullable(provider);
  }

  /** A fresh SHA256withRSA instance: Signature objects are not thread-safe, so one per call. */
  public Signature newSignature() {
    try {
      return provider == null
          ? Signature.getInstance(SIGNATURE_ALGORITHM)
          : Signature.getInstance(SIGNATURE_ALGORITHM, provider);
    } catch (NoSuchAlgorithmException e) {
      throw new ConfigurationException(
          "Provider " + name() + " does not offer " + SIGNATURE_ALGORITHM, e);
    }
  }

  /** AES/GCM/NoPadding from this provider, or from the JDK when this provider lacks it. */
  public Cipher newAesGcm() {
    String transformation = "AES/GCM/NoPadding";
    try {
      if (provider != null) {
        try {
          return Cipher.getInstance(transformation, provider);
        } catch (NoSuchAlgorithmException | NoSuchPaddingException fallThrough) {
          // Providers such as SunRsaSign offer no ciphers: use the JDK's lookup.
        }
      }
      return Cipher.getInstance(transformation);
    } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
      throw new ConfigurationException("No provider offers " + transformation, e);
    }
  }

  /**
   * The key as this provider's own key class, translated once at construction so that the
   * provider does not convert it on every signature.
   */
  public PrivateKey adopt(PrivateKey key) {
    return (PrivateKey) translate(key);
  }

  /** See {@link #adopt(PrivateKey)}. */
  public PublicKey adopt(PublicKey key) {
    return (PublicKey) translate(key);
  }

  private Key translate(Key key) {
    Objects.requireNonNull(key, "key");
    if (provider == null) {
      return key;
    }
    try {
      KeyFactory factory = KeyFactory.getInstance(key.getAlgorithm(), provider);
      return factory.translateKey(key);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      // Some providers sign with foreign keys but cannot import them; keep the key as it is.
      LOG.log(Level.DEBUG, () -> "Provider " + name() + " cannot translate a " + key.getAlgorithm()
          + " key (" + e + "); using it as loaded");
      return key;
    } catch (RuntimeException e) {
      throw new ConfigurationException("Provider " + name() + " rejected the "
          + key.getAlgorithm() + " key: " + e.getClass().getSimpleName(), e);
    }
  }

  /** Provider name, {@code "default"} for the JDK's lookup. */
  public String name() {
    return provider == null ? "default" : provider.getName();
  }

  @Override
  public String toString() {
    return "CryptoProvider[" + name() + "]";
  }
}
