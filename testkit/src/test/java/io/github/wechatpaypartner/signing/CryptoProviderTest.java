package io.github.wechatpaypartner.signing;

import io.github.wechatpaypartner.testkit.ServiceSigner;
import io.github.wechatpaypartner.exception.ConfigurationException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.wechatpaypartner.signing.keys.MerchantCredentials;
import io.github.wechatpaypartner.signing.sign.RequestSigner;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import io.github.wechatpaypartner.signing.verify.HeaderLookup;
import io.github.wechatpaypartner.signing.verify.SignatureVerifier;
import io.github.wechatpaypartner.exception.VerificationCheck;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.Security;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

class CryptoProviderTest {

  @Test
  void jdkAndBouncyCastleGiveIdenticalSignatures() {
    byte[] body = "{\"brand_id\":\"120344\",\"备注\":\"🎉\"}".getBytes(StandardCharsets.UTF_8);
    String jdk = signer(CryptoProvider.jdk()).authorization("POST", "/v3/a?b=c", body);
    CryptoProvider bc = CryptoProvider.of(new BouncyCastleProvider());
    String viaBc = signer(bc).authorization("POST", "/v3/a?b=c", body);

    assertEquals(jdk, viaBc);
    assertEquals("SunRsaSign", CryptoProvider.jdk().name());
    assertEquals("BC", bc.name());
    assertEquals("BC", bc.newSignature().getProvider().getName());
    // Passed explicitly, never installed.
    assertNull(Security.getProvider("BC"));
  }

  @Test
  void withoutCorrettoOnTheClasspathDetectFallsBackToTheJdk() {
    assertThrows(ClassNotFoundException.class,
        () -> Class.forName(CryptoProvider.CORRETTO_CLASS));
    assertFalse(CryptoProvider.amazonCorretto().isPresent());
    assertEquals("SunRsaSign", CryptoProvider.detect().name());
  }

  @Test
  void healthyCorrettoIsUsedAndUnhealthyOrBrokenOnesAreNot() {
    ClassLoader loader = getClass().getClassLoader();
    assertSame(HealthyStandIn.INSTANCE,
        CryptoProvider.amazonCorretto(HealthyStandIn.class.getName(), loader).get());
    assertFalse(CryptoProvider.amazonCorretto(NotLoadedStandIn.class.getName(), loader).isPresent());
    assertFalse(CryptoProvider.amazonCorretto(FailedSelfTestStandIn.class.getName(), loader)
        .isPresent());
    assertFalse(CryptoProvider.amazonCorretto(String.class.getName(), loader).isPresent());
  }

  @Test
  void verificationGivesTheSameAnswerWithBouncyCastle() {
    CryptoProvider bc = CryptoProvider.of(new BouncyCastleProvider());
    byte[] body = "{\"a\":\"中\"}".getBytes(StandardCharsets.UTF_8);
    long now = 1700000000L;
    ServiceSigner side = new ServiceSigner(TestPki.wechatpayKey().getPrivate(), "PUB_KEY_ID_01", java.time.Clock.systemUTC());
    WechatPayKeySet keys = WechatPayKeySet.builder()
        .publicKey("PUB_KEY_ID_01", TestPki.wechatpayKey().getPublic()).build();
    SignatureVerifier verifier = new SignatureVerifier(keys, bc,
        Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC));
    assertFalse(verifier.check(HeaderLookup.of(side.headers(now, "n", body)), body).isPresent());
    assertEquals(VerificationCheck.BAD_SIGNATURE, verifier.check(
        HeaderLookup.of(side.headers(now, "n", body)), new byte[0]).get().check());
  }

  @Test
  void aSwitchingProviderSignsWithTheJdkUntilItsUpgradeIsReadyThenWithIt() throws Exception {
    Provider bc = new BouncyCastleProvider();
    java.util.concurrent.atomic.AtomicReference<Provider> ready = new java.util.concurrent.atomic.AtomicReference<>();
    CryptoProvider switching = CryptoProvider.switching(ready::get);
    RequestSigner signer = signer(switching);
    byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    String before = signer.authorization("POST", "/v3/a", body);
    assertEquals("SunRsaSign", switching.name());
    CryptoProvider.PreparedKey key = switching.prepare(TestPki.merchantKey().getPrivate());
    assertEquals("SunRsaSign", key.initSign().getProvider().getName());

    ready.set(bc);
    assertEquals("BC", switching.name());
    assertEquals("BC", key.initSign().getProvider().getName());
    assertEquals(before, signer.authorization("POST", "/v3/a", body), "signatures are deterministic");
  }

  /** Stands in for ACCP: same static API, found by reflection. */
  public static final class HealthyStandIn extends Provider {
    private static final long serialVersionUID = 1L;
    public static final HealthyStandIn INSTANCE = new HealthyStandIn();

    private HealthyStandIn() {
      super("HealthyStandIn", "1.0", "test stand-in");
    }

    public Throwable getLoadingError() {
      return null;
    }

    public void assertHealthy() {}
  }

  /** ACCP whose native library did not load. */
  public static final class NotLoadedStandIn extends Provider {
    private static final long serialVersionUID = 1L;
    public static final NotLoadedStandIn INSTANCE = new NotLoadedStandIn();

    private NotLoadedStandIn() {
      super("NotLoadedStandIn", "1.0", "test stand-in");
    }

    public Throwable getLoadingError() {
      return new UnsatisfiedLinkError("no amazonCorrettoCryptoProvider in java.library.path");
    }

    public void assertHealthy() {}
  }

  /** ACCP whose self-tests failed. */
  public static final class FailedSelfTestStandIn extends Provider {
    private static final long serialVersionUID = 1L;
    public static final FailedSelfTestStandIn INSTANCE = new FailedSelfTestStandIn();

    private FailedSelfTestStandIn() {
      super("FailedSelfTestStandIn", "1.0", "test stand-in");
    }

    public Throwable getLoadingError() {
      return null;
    }

    public void assertHealthy() {
      throw new IllegalStateException("self-test failed");
    }
  }

  private static RequestSigner signer(CryptoProvider provider) {
    return RequestSigner.builder(MerchantCredentials.of("1900000001", "ABCDEF",
            TestPki.merchantKey().getPrivate()), "PUB_KEY_ID_0114232134912410000000000000")
        .clock(Clock.fixed(Instant.ofEpochSecond(1554208460L), ZoneOffset.UTC))
        .nonceSource(() -> "593BEC0C930BF1AFEB40B4A08C8FB242")
        .provider(provider)
        .build();
  }
}
