package io.github.wechatpaypartner.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.signing.TestPki;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import io.github.wechatpaypartner.signing.keys.MerchantCredentials;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import io.github.wechatpaypartner.signing.sign.RequestSigner;
import io.github.wechatpaypartner.signing.verify.HeaderLookup;
import io.github.wechatpaypartner.signing.verify.SignatureVerifier;
import io.github.wechatpaypartner.signing.CryptoProvider;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The service's side agrees with the client's side, and refuses what the service refuses. */
class RequestAuthenticationTest {
  private static final GeneratedCredentials KEYS = TestPki.KEYS;
  private static final byte[] BODY = "{\"brand_id\":\"120344\",\"名\":\"券\"}".getBytes(StandardCharsets.UTF_8);
  private final Instant now = Instant.parse("2026-11-23T10:00:00Z");

  private RequestSigner signer(Clock clock) {
    return RequestSigner.builder(MerchantCredentials.of(KEYS.mchid(), KEYS.merchantKeys().getPrivate(),
        KEYS.merchantCertificate()), KEYS.wechatpayPublicKeyId()).clock(clock).build();
  }

  private RequestAuthentication service() {
    return new RequestAuthentication(KEYS.mchid(), KEYS.merchantSerial(), KEYS.merchantKeys().getPublic(),
        Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void aRequestSignedByTheClientIsAcceptedWithItsNonce() {
    String auth = signer(Clock.fixed(now, ZoneOffset.UTC)).authorization("POST", "/v3/x?a=1", BODY);
    RequestAuthentication.Result result = service().check("POST", "/v3/x?a=1", auth, BODY);
    assertTrue(result.accepted(), result.toString());
    assertEquals(32, result.nonce().length());
  }

  @Test
  void whatTheServiceRefusesIsNamed() {
    String auth = signer(Clock.fixed(now, ZoneOffset.UTC)).authorization("POST", "/v3/x", BODY);
    assertRefused(service().check("POST", "/v3/y", auth, BODY), "signature does not verify");
    assertRefused(service().check("POST", "/v3/x", auth, "{}".getBytes(StandardCharsets.UTF_8)), "signature does not verify");
    assertRefused(service().check("POST", "/v3/x", null, BODY), "missing");
    assertRefused(service().check("POST", "/v3/x", auth.replace("WECHATPAY2-SHA256-RSA2048", "WECHATPAY-BRAND-SHA256-RSA2048"), BODY), "scheme");
    assertRefused(service().check("POST", "/v3/x", auth.replace("mchid=\"" + KEYS.mchid(), "mchid=\"1"), BODY), "mchid");
    assertRefused(service().check("POST", "/v3/x", auth.replace(KEYS.merchantSerial(), "ABCDEF"), BODY), "serial_no");
    String old = signer(Clock.fixed(now.minus(Duration.ofMinutes(6)), ZoneOffset.UTC)).authorization("POST", "/v3/x", BODY);
    assertRefused(service().check("POST", "/v3/x", old, BODY), "outside the 5-minute window");
  }

  @Test
  void answersSignedByTheServiceVerifyOnTheClientsSide() {
    ServiceSigner signer = new ServiceSigner(KEYS.wechatpayKeys().getPrivate(), KEYS.wechatpayPublicKeyId(), Clock.systemUTC());
    SignatureVerifier verifier = new SignatureVerifier(WechatPayKeySet.builder()
        .publicKey(KEYS.wechatpayPublicKeyId(), KEYS.wechatpayKeys().getPublic()).build(),
        CryptoProvider.jdk(), Clock.systemUTC());
    assertEquals(Optional.empty(), verifier.check(HeaderLookup.of(signer.headers(BODY)), BODY));
    assertTrue(verifier.check(HeaderLookup.of(signer.headers(BODY)), "{}".getBytes(StandardCharsets.UTF_8)).isPresent());
  }

  @Test
  void generatedCredentialsHangTogether() {
    assertTrue(KEYS.wechatpayPublicKeyId().matches("PUB_KEY_ID_[0-9]{32}"), KEYS.wechatpayPublicKeyId());
    assertEquals(32, KEYS.apiV3Key().length());
    assertEquals(KEYS.merchantKeys().getPublic(), KEYS.merchantCertificate().getPublicKey());
    assertFalse(KEYS.toString().contains("PRIVATE"), KEYS.toString());
    assertEquals(KEYS.merchantSerial(), MerchantCredentials.of(KEYS.mchid(), KEYS.merchantKeys().getPrivate(),
        KEYS.merchantCertificate()).certificateSerial());
  }

  private static void assertRefused(RequestAuthentication.Result result, String why) {
    assertFalse(result.accepted(), result.toString());
    assertTrue(result.refusal().orElseThrow().contains(why), result.refusal().orElseThrow());
  }
}
