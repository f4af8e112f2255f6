package io.github.wechatpaypartner.signing;

import io.github.wechatpaypartner.client.runtime.StartupTuning;
import io.github.wechatpaypartner.exception.ConfigurationException;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;

/**
 * Which JCA provider computes SHA256withRSA (and AES-GCM for callbacks).
 *
 * <p>The provider is handed to each {@code getInstance} call and never installed globally, so
 * several clients in one JVM can use different providers. RSA PKCS#1 v1.5 signatures are
 * deterministic: every provider yields the same bytes, only speed differs. That is what lets
 * {@link #detect()} sign with the JDK's provider while the Amazon Corretto Crypto Provider (ACCP)
 * is still loading, and switch to it once it has.
 */
public final class CryptoProvider {
  public static final String SIGNATURE_ALGORITHM = "SHA256withRSA";
  static final String CORRETTO_CLASS =
      "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
  private static final String JDK_RSA_PROVIDER = "SunRsaSign";
  private static final System.Logger LOG = System.getLogger(CryptoProvider.class.getName());
  private static final AtomicBoolean WARMED_UP = new AtomicBoolean();
  /** Signatures by {@link #detect()}'s providers until ACCP's probe starts. */
  private static final AtomicInteger SIGNATURES = new AtomicInteger();

  /** {@code null} means the JDK's default provider lookup. */
  private final Provider provider;
  /**
   * For {@link #detect()} while ACCP is loading: the provider to switch to once it answers one
   * (ACCP when it has loaded); {@code null} for a fixed provider.
   */
  private final Supplier<Provider> upgrade;

  private CryptoProvider(Provider provider, Supplier<Provider> upgrade) {
    this.provider = provider;
    this.upgrade = upgrade;
  }

  /** The JDK's own RSA provider (SunRsaSign), or the default lookup if that is absent. */
  public static CryptoProvider jdk() {
    return new CryptoProvider(Security.getProvider(JDK_RSA_PROVIDER), null);
  }

  /** An explicit provider, e.g. Bouncy Castle's or an HSM's. It is not installed globally. */
  public static CryptoProvider of(Provider provider) {
    return new CryptoProvider(Objects.requireNonNull(provider, "provider"), null);
  }

  /**
   * The Amazon Corretto Crypto Provider when it is on the classpath and healthy (its native
   * library loaded and self-tests passed), else the JDK's. This is the default of every builder.
   *
   * <p>ACCP is probed once per JVM, on a background thread started when the JVM signs its second
   * request: loading its native library takes a few hundred milliseconds of CPU, which then never
   * competes with a client's start-up and first call. Until it is ready, the JDK's provider signs
   * and verifies. When ACCP is on the classpath but cannot load, one WARNING says so and the
   * JDK's provider stays.
   */
  public static CryptoProvider detect() {
    if (!Corretto.PRESENT) {
      return jdk();
    }
    Provider ready = Corretto.ready();
    return ready != null ? new CryptoProvider(ready, null) : switching(Corretto::ready);
  }

  /** The JDK's provider until {@code upgrade} answers a provider, then that one. */
  static CryptoProvider switching(Supplier<Provider> upgrade) {
    return new CryptoProvider(Security.getProvider(JDK_RSA_PROVIDER), Objects.requireNonNull(upgrade, "upgrade"));
  }

  /**
   * ACCP's singleton, looked up by reflection so that this module has no compile dependency on
   * it. Empty when it is absent or unhealthy (e.g. on a platform without its native library).
   * Waits for the once-per-JVM probe when it is still running.
   */
  public static Optional<Provider> amazonCorretto() {
    return Corretto.PRESENT ? Corretto.start().join() : Optional.empty();
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
            + error + "; signing with the JDK's " + JDK_RSA_PROVIDER);
        return Optional.empty();
      }
      // Throws when a self-test failed.
      type.getMethod("assertHealthy").invoke(instance);
      LOG.log(Level.DEBUG, () -> "Using Amazon Corretto Crypto Provider " + instance.getVersionStr());
      return Optional.of(instance);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError unhealthy) {
      Throwable cause = unhealthy.getCause() != null ? unhealthy.getCause() : unhealthy;
      LOG.log(Level.WARNING, "Amazon Corretto Crypto Provider is on the classpath but not healthy: "
          + cause + "; signing with the JDK's " + JDK_RSA_PROVIDER);
      return Optional.empty();
    }
  }

  /**
   * The provider in use now, or empty for the JDK's default lookup. For {@link #detect()} this is
   * the JDK's until ACCP is ready, then ACCP.
   */
  public Optional<Provider> provider() {
    return Optional.ofNullable(inUse());
  }

  private Provider inUse() {
    if (upgrade != null) {
      Provider ready = upgrade.get();
      if (ready != null) {
        return ready;
      }
    }
    return provider;
  }

  /** A fresh SHA256withRSA instance: Signature objects are not thread-safe, so one per call. */
  public Signature newSignature() {
    return newSignature(inUse());
  }

  private Signature newSignature(Provider p) {
    try {
      return p == null
          ? Signature.getInstance(SIGNATURE_ALGORITHM)
          : Signature.getInstance(SIGNATURE_ALGORITHM, p);
    } catch (NoSuchAlgorithmException e) {
      throw new ConfigurationException(
          "Provider " + name(p) + " does not offer " + SIGNATURE_ALGORITHM, e);
    }
  }

  /** AES/GCM/NoPadding from this provider, or from the JDK when this provider lacks it. */
  public Cipher newAesGcm() {
    String transformation = "AES/GCM/NoPadding";
    Provider p = inUse();
    try {
      if (p != null) {
        try {
          return Cipher.getInstance(transformation, p);
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
   * The key as the provider's own key class, translated once at construction so that the
   * provider does not convert it on every signature. Signers and verifiers hold
   * {@link #prepare(PrivateKey)} instead, which also follows {@link #detect()}'s switch.
   */
  public PrivateKey adopt(PrivateKey key) {
    return (PrivateKey) translate(key, inUse());
  }

  /** See {@link #adopt(PrivateKey)}. */
  public PublicKey adopt(PublicKey key) {
    return (PublicKey) translate(key, inUse());
  }

  /**
   * The private key of a signer, adopted now (a provider that rejects it fails here). The first
   * such key of the JVM, when held in memory, also warms the signature code up in the background.
   */
  public PreparedKey prepare(PrivateKey key) {
    PreparedKey prepared = new PreparedKey(key);
    if (key instanceof RSAPrivateCrtKey && WARMED_UP.compareAndSet(false, true)) {
      warmUp(prepared, (RSAPrivateCrtKey) key);
    }
    return prepared;
  }

  /**
   * Signs a throwaway message with {@code key} and verifies it, once, on a daemon thread: the
   * first RSA signature of a JVM runs its code cold (class loading, then the interpreter: 30-50 ms
   * with the JDK's provider, against about 10 ms for the next). Done here, that cost overlaps the
   * rest of the client's set-up instead of delaying its first request. Only keys held in memory
   * ({@link RSAPrivateCrtKey}) are used, never a hardware key, and the signature goes nowhere.
   */
  private static void warmUp(PreparedKey prepared, RSAPrivateCrtKey key) {
    StartupTuning.inBackground("wechatpay-signature-warm-up", () -> {
      try {
        byte[] message = "wechatpay-partner signature warm-up".getBytes(StandardCharsets.US_ASCII);
        Signature signer = prepared.initSignQuietly();
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = prepared.newSignature(prepared.adopted.provider);
        verifier.initVerify(KeyFactory.getInstance("RSA")
            .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())));
        verifier.update(message);
        verifier.verify(signature);
      } catch (GeneralSecurityException | RuntimeException e) {
        // Only a warm-up: the real signatures report their own failures.
        LOG.log(Level.DEBUG, () -> "Signature warm-up failed: " + e);
      }
    });
  }

  /** The public key of a verifier, adopted now (a provider that rejects it fails here). */
  public PreparedKey prepare(PublicKey key) {
    return new PreparedKey(key);
  }

  private Key translate(Key key, Provider p) {
    Objects.requireNonNull(key, "key");
    if (p == null) {
      return key;
    }
    try {
      KeyFactory factory = KeyFactory.getInstance(key.getAlgorithm(), p);
      return factory.translateKey(key);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      // Some providers sign with foreign keys but cannot import them; keep the key as it is.
      LOG.log(Level.DEBUG, () -> "Provider " + name(p) + " cannot translate a " + key.getAlgorithm()
          + " key (" + e + "); using it as loaded");
      return key;
    } catch (RuntimeException e) {
      throw new ConfigurationException("Provider " + name(p) + " rejected the "
          + key.getAlgorithm() + " key: " + e.getClass().getSimpleName(), e);
    }
  }

  /** Provider name, {@code "default"} for the JDK's lookup. */
  public String name() {
    return name(inUse());
  }

  private static String name(Provider p) {
    return p == null ? "default" : p.getName();
  }

  @Override
  public String toString() {
    return upgrade != null && upgrade.get() == null && !Corretto.PROBE.isDone()
        ? "CryptoProvider[" + name() + " until Amazon Corretto Crypto Provider has loaded]"
        : "CryptoProvider[" + name() + "]";
  }

  /**
   * A signer's or verifier's key in the key class of the provider in use: translated once, and
   * once more if {@link #detect()} switches to ACCP. Thread-safe; one per key, held for its life.
   */
  public final class PreparedKey {
    private final Key key;
    private volatile Adopted adopted;

    private PreparedKey(Key key) {
      this.key = Objects.requireNonNull(key, "key");
      Provider p = inUse();
      this.adopted = new Adopted(p, translate(key, p));
    }

    /** A new SHA256withRSA signature of the provider in use, initialized to sign with this key. */
    public Signature initSign() throws InvalidKeyException {
      if (upgrade != null && !Corretto.started() && SIGNATURES.incrementAndGet() > 1) {
        Corretto.start();
      }
      return initSignQuietly();
    }

    /** {@link #initSign()} that does not count as a request's signature (the warm-up). */
    private Signature initSignQuietly() throws InvalidKeyException {
      Adopted a = current();
      Signature s = newSignature(a.provider);
      s.initSign((PrivateKey) a.key);
      return s;
    }

    /** A new SHA256withRSA signature of the provider in use, initialized to verify with this key. */
    public Signature initVerify() throws InvalidKeyException {
      Adopted a = current();
      Signature s = newSignature(a.provider);
      s.initVerify((PublicKey) a.key);
      return s;
    }

    private Signature newSignature(Provider p) {
      return CryptoProvider.this.newSignature(p);
    }

    private Adopted current() {
      Adopted a = adopted;
      if (upgrade != null) {
        Provider p = inUse();
        if (a.provider != p) {
          a = new Adopted(p, translate(key, p));
          adopted = a;
        }
      }
      return a;
    }
  }

  /** A key as one provider adopted it. */
  private static final class Adopted {
    final Provider provider;
    final Key key;

    Adopted(Provider provider, Key key) {
      this.provider = provider;
      this.key = key;
    }
  }

  /**
   * ACCP, probed once per JVM. {@link #PRESENT} is a resource lookup (no class of ACCP is loaded
   * when it is absent); when present, {@link #start()} runs the probe on a daemon thread, and
   * {@link #ready()} answers without waiting.
   */
  private static final class Corretto {
    static final boolean PRESENT = CryptoProvider.class.getClassLoader() != null
        && CryptoProvider.class.getClassLoader().getResource(
            CORRETTO_CLASS.replace('.', '/') + ".class") != null;
    private static final CompletableFuture<Optional<Provider>> PROBE = new CompletableFuture<>();
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    static boolean started() {
      return STARTED.get();
    }

    static CompletableFuture<Optional<Provider>> start() {
      if (PRESENT && STARTED.compareAndSet(false, true)) {
        StartupTuning.inBackground("wechatpay-accp-probe", () -> {
          try {
            PROBE.complete(amazonCorretto(CORRETTO_CLASS, CryptoProvider.class.getClassLoader()));
          } catch (Throwable e) {
            PROBE.complete(Optional.empty());
          }
        });
      }
      return PROBE;
    }

    static Provider ready() {
      Optional<Provider> probed = PROBE.getNow(null);
      return probed == null ? null : probed.orElse(null);
    }
  }
}
