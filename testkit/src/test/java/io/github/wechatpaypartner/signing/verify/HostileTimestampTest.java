package io.github.wechatpaypartner.signing.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.exception.NotificationVerificationException;
import io.github.wechatpaypartner.exception.VerificationCheck;
import io.github.wechatpaypartner.signing.CryptoProvider;
import io.github.wechatpaypartner.signing.MessageBytes;
import io.github.wechatpaypartner.signing.TestPki;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import io.github.wechatpaypartner.signing.notification.ApiV3Key;
import io.github.wechatpaypartner.signing.notification.NotificationParser;
import io.github.wechatpaypartner.signing.sign.RequestSigner;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import io.github.wechatpaypartner.testkit.RequestAuthentication;
import io.github.wechatpaypartner.testkit.ServiceSigner;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Timestamps chosen to overflow a subtraction are refused by every 5-minute check: answers
 * ({@link SignatureVerifier}), callbacks ({@link NotificationParser}) and requests on the service's
 * side ({@link RequestAuthentication}, the sandbox's check). Each is correctly signed, so only the
 * window can refuse it: {@code now - 2^63} passed all three before, as {@code Math.abs} of the
 * wrapped difference is negative.
 */
class HostileTimestampTest {
  private static final GeneratedCredentials KEYS = TestPki.KEYS;
  private static final long NOW = 1_700_000_000L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
  private static final byte[] BODY = "{\"id\":\"EV-1\"}".getBytes(StandardCharsets.UTF_8);
  /** now - 2^63 (the value that wrapped to Long.MIN_VALUE), its neighbours, the extremes, now + 2^62. */
  private static final List<Long> HOSTILE = List.of(NOW + Long.MIN_VALUE, NOW + Long.MIN_VALUE + 1,
      NOW + Long.MIN_VALUE - 1, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE, Long.MAX_VALUE - NOW,
      NOW + (1L << 62), NOW - (1L << 62), -1L, 0L, NOW - 301, NOW + 301);

  private final ServiceSigner wechatpay =
      new ServiceSigner(KEYS.wechatpayKeys().getPrivate(), KEYS.wechatpayPublicKeyId(), CLOCK);
  private final WechatPayKeySet trusted =
      WechatPayKeySet.builder().publicKey(KEYS.wechatpayPublicKeyId(), KEYS.wechatpayKeys().getPublic()).build();

  @Test
  void theWindowComparesWithoutOverflow() {
    for (long now : new long[] {NOW, 0, -NOW, Instant.MAX.getEpochSecond(), Instant.MIN.getEpochSecond()}) {
      Instant at = Instant.ofEpochSecond(now);
      for (long t : new long[] {Long.MIN_VALUE, Long.MAX_VALUE, now + Long.MIN_VALUE, now - Long.MIN_VALUE,
          now - 301, now + 301}) {
        assertTrue(TimestampWindow.outside(t, at).isPresent(), t + " at now " + now);
      }
      for (long t : new long[] {now - 300, now, now + 300}) {
        assertEquals(Optional.empty(), TimestampWindow.outside(t, at), t + " at now " + now);
      }
    }
    assertEquals(Optional.of("9223372036854775808 s behind"),
        TimestampWindow.outside(NOW + Long.MIN_VALUE, Instant.ofEpochSecond(NOW)), "the distance, exact");
  }

  @Test
  void onlyDigitsAreUnixSeconds() {
    assertEquals(OptionalLong.of(NOW), TimestampWindow.parse(Long.toString(NOW)));
    assertEquals(OptionalLong.of(Long.MAX_VALUE), TimestampWindow.parse(Long.toString(Long.MAX_VALUE)));
    for (String bad : new String[] {"-1700000000", "+1700000000", " 1700000000", "1700000000\n", "1e9",
        "9223372036854775808", "99999999999999999999", "", "１７００００００００"}) {
      assertFalse(TimestampWindow.parse(bad).isPresent(), bad);
    }
  }

  @Test
  void answersWithHostileTimestampsAreRefused() {
    SignatureVerifier verifier = new SignatureVerifier(trusted, CryptoProvider.jdk(), CLOCK);
    assertEquals(Optional.empty(), verifier.check(HeaderLookup.of(wechatpay.headers(NOW, "n", BODY)), BODY));
    for (long t : HOSTILE) {
      Optional<VerificationFailure> failure = verifier.check(HeaderLookup.of(wechatpay.headers(t, "n", BODY)), BODY);
      assertTrue(failure.isPresent(), "an answer signed at " + t + " passed");
      assertEquals(t < 0 ? VerificationCheck.MALFORMED_TIMESTAMP : VerificationCheck.TIMESTAMP_OUT_OF_WINDOW,
          failure.get().check(), failure.get().detail());
    }
  }

  @Test
  void callbacksWithHostileTimestampsAreRefusedBeforeAnythingIsRead() {
    NotificationParser parser = NotificationParser.builder(trusted, ApiV3Key.of(KEYS.apiV3Key()))
        .clock(CLOCK).provider(CryptoProvider.jdk()).build();
    for (long t : HOSTILE) {
      Map<String, String> headers = new LinkedHashMap<>(wechatpay.headers(t, "n", BODY));
      NotificationVerificationException e = assertThrows(NotificationVerificationException.class,
          () -> parser.parse(headers, BODY), "a callback signed at " + t + " passed verification");
      assertEquals(t < 0 ? VerificationCheck.MALFORMED_TIMESTAMP : VerificationCheck.TIMESTAMP_OUT_OF_WINDOW,
          e.check(), e.getMessage());
    }
  }

  @Test
  void requestsWithHostileTimestampsAreRefusedByTheService() throws GeneralSecurityException {
    RequestAuthentication service = new RequestAuthentication(KEYS.mchid(), KEYS.merchantSerial(),
        KEYS.merchantKeys().getPublic(), CLOCK);
    assertTrue(service.check("POST", "/v3/x", authorization(NOW), BODY).accepted(), "the control case");
    for (long t : HOSTILE) {
      RequestAuthentication.Result result = service.check("POST", "/v3/x", authorization(t), BODY);
      assertFalse(result.accepted(), "a request signed at " + t + " was accepted");
      assertTrue(result.refusal().orElseThrow().startsWith(t < 0 ? "timestamp is not Unix seconds" : "timestamp is "),
          result.toString());
    }
  }

  /** A correct merchant signature at any timestamp (RequestSigner takes it from a clock, which cannot go there). */
  private static String authorization(long timestamp) throws GeneralSecurityException {
    String nonce = GeneratedCredentials.randomAlphanumeric(32);
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(KEYS.merchantKeys().getPrivate());
    s.update(MessageBytes.lines("POST", "/v3/x", Long.toString(timestamp), nonce));
    s.update(BODY);
    s.update(MessageBytes.newline());
    return RequestSigner.SCHEME + " mchid=\"" + KEYS.mchid() + "\",nonce_str=\"" + nonce + "\",signature=\""
        + Base64.getEncoder().encodeToString(s.sign()) + "\",timestamp=\"" + timestamp
        + "\",serial_no=\"" + KEYS.merchantSerial() + "\"";
  }
}
