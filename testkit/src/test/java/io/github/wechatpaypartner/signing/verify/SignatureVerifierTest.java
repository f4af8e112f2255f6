package io.github.wechatpaypartner.signing.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.exception.ResponseVerificationException;
import io.github.wechatpaypartner.exception.VerificationCheck;
import io.github.wechatpaypartner.signing.CryptoProvider;
import io.github.wechatpaypartner.signing.TestPki;
import io.github.wechatpaypartner.testkit.ServiceSigner;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureVerifierTest {
  static final String PUB_KEY_ID = "PUB_KEY_ID_0114232134912410000000000000";
  static final String CERT_SERIAL = "7132D72A03E93CDDF8C03BBD1F37EEDF3C9C3A3B";
  static final long NOW = 1700000000L;
  static final String NONCE = "c5ac7061fccab6bf3e254dcf98995b8c";
  static final byte[] BODY = "{\"plan_id\":\"12345\",\"plan_name\":\"秘密计划 secret-marker\"}"
      .getBytes(StandardCharsets.UTF_8);

  private final ServiceSigner publicKeyMode =
      new ServiceSigner(TestPki.wechatpayKey().getPrivate(), PUB_KEY_ID, Clock.systemUTC());
  private final ServiceSigner certificateMode =
      new ServiceSigner(TestPki.otherKey().getPrivate(), CERT_SERIAL, Clock.systemUTC());
  private final WechatPayKeySet keySet = WechatPayKeySet.builder()
      .publicKey(PUB_KEY_ID, TestPki.wechatpayKey().getPublic())
      .platformCertificate(TestPki.selfSigned(TestPki.otherKey(), new BigInteger(CERT_SERIAL, 16),
          "Tenpay.com Root CA test fixture"))
      .build();
  private final SignatureVerifier verifier = new SignatureVerifier(keySet, CryptoProvider.jdk(),
      Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));

  @Test
  void validAnswersPassInBothKeyModes() {
    verify(answer(200, publicKeyMode.headers(NOW, NONCE, BODY), BODY));
    verify(answer(200, certificateMode.headers(NOW, NONCE, BODY), BODY));
    byte[] empty = new byte[0];
    verify(answer(204, publicKeyMode.headers(NOW, NONCE, empty), empty));
  }

  @Test
  void timestampWithinFiveMinutesEitherWayPasses() {
    verify(answer(200, publicKeyMode.headers(NOW - 300, NONCE, BODY), BODY));
    verify(answer(200, publicKeyMode.headers(NOW + 300, NONCE, BODY), BODY));
  }

  @Test
  void errorAnswersAreVerifiedToo() {
    byte[] error = "{\"code\":\"PARAM_ERROR\",\"message\":\"brand_id 无效\"}"
        .getBytes(StandardCharsets.UTF_8);
    verify(answer(400, publicKeyMode.headers(NOW, NONCE, error), error));

    Map<String, String> unsigned = new LinkedHashMap<>();
    unsigned.put("Request-ID", "08F78BB5AF0610D302180018F2E9A0C407-268435456");
    ResponseVerificationException e = assertThrows(ResponseVerificationException.class,
        () -> verify(answer(500, unsigned, error)));
    assertEquals(VerificationCheck.MISSING_HEADER, e.check());
    assertEquals(500, e.statusCode());

    byte[] tampered = "{\"code\":\"SYSTEM_ERROR\",\"message\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    ResponseVerificationException bad = assertThrows(ResponseVerificationException.class,
        () -> verify(answer(429, publicKeyMode.headers(NOW, NONCE, error), tampered)));
    assertEquals(VerificationCheck.BAD_SIGNATURE, bad.check());
  }

  @Test
  void tamperedBodyFails() {
    byte[] other = new String(BODY, StandardCharsets.UTF_8).replace("12345", "12346")
        .getBytes(StandardCharsets.UTF_8);
    ResponseVerificationException e = reject(publicKeyMode.headers(NOW, NONCE, BODY), other);
    assertEquals(VerificationCheck.BAD_SIGNATURE, e.check());
    assertTrue(e.getMessage().contains("does not match the timestamp, nonce and body for the key "
        + PUB_KEY_ID), e.getMessage());
  }

  @Test
  void swappedSerialFails() {
    Map<String, String> headers = publicKeyMode.headers(NOW, NONCE, BODY);
    headers.put("Wechatpay-Serial", CERT_SERIAL);
    ResponseVerificationException e = reject(headers, BODY);
    assertEquals(VerificationCheck.BAD_SIGNATURE, e.check());
    assertTrue(e.getMessage().contains("for the key " + CERT_SERIAL), e.getMessage());
  }

  @Test
  void unknownSerialFailsNamingIt() {
    Map<String, String> headers = publicKeyMode.headers(NOW, NONCE, BODY);
    headers.put("Wechatpay-Serial", "PUB_KEY_ID_0999");
    ResponseVerificationException e = reject(headers, BODY);
    assertEquals(VerificationCheck.UNKNOWN_SERIAL, e.check());
    assertTrue(e.getMessage().contains("Wechatpay-Serial 'PUB_KEY_ID_0999' names no trusted"),
        e.getMessage());
  }

  @Test
  void staleTimestampFailsSayingHowFarOff() {
    ResponseVerificationException e = reject(publicKeyMode.headers(NOW - 301, NONCE, BODY), BODY);
    assertEquals(VerificationCheck.TIMESTAMP_OUT_OF_WINDOW, e.check());
    assertTrue(e.getMessage().contains("is 301 s behind the local clock (allowed: 300 s either"
        + " way)"), e.getMessage());
  }

  @Test
  void futureTimestampFailsSayingHowFarOff() {
    ResponseVerificationException e = reject(publicKeyMode.headers(NOW + 3600, NONCE, BODY), BODY);
    assertEquals(VerificationCheck.TIMESTAMP_OUT_OF_WINDOW, e.check());
    assertTrue(e.getMessage().contains("is 3600 s ahead of the local clock"), e.getMessage());
  }

  @Test
  void malformedTimestampFails() {
    Map<String, String> headers = publicKeyMode.headers(NOW, NONCE, BODY);
    headers.put("Wechatpay-Timestamp", "2023-11-14T22:13:20Z");
    ResponseVerificationException e = reject(headers, BODY);
    assertEquals(VerificationCheck.MALFORMED_TIMESTAMP, e.check());
    assertTrue(e.getMessage().contains("is not a number of Unix seconds"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Signature",
      "Wechatpay-Serial"})
  void eachMissingHeaderIsNamed(String header) {
    Map<String, String> headers = publicKeyMode.headers(NOW, NONCE, BODY);
    headers.remove(header);
    ResponseVerificationException e = reject(headers, BODY);
    assertEquals(VerificationCheck.MISSING_HEADER, e.check());
    assertTrue(e.getMessage().contains("header " + header + " is missing"), e.getMessage());
  }

  @Test
  void signtestProbeFailsWithItsOwnMessage() {
    Map<String, String> headers = publicKeyMode.headers(NOW, NONCE, BODY);
    headers.put("Wechatpay-Signature", "WECHATPAY/SIGNTEST/" + headers.get("Wechatpay-Signature"));
    ResponseVerificationException e = reject(headers, BODY);
    assertEquals(VerificationCheck.SIGNTEST_PROBE, e.check());
    assertTrue(e.getMessage().contains("is a WECHATPAY/SIGNTEST/ probe"), e.getMessage());
  }

  @Test
  void badBase64Fails() {
    Map<String, String> headers = publicKeyMode.headers(NOW, NONCE, BODY);
    headers.put("Wechatpay-Signature", "not*base64!");
    ResponseVerificationException e = reject(headers, BODY);
    assertEquals(VerificationCheck.MALFORMED_SIGNATURE, e.check());
    assertTrue(e.getMessage().contains("Wechatpay-Signature is not valid Base64"), e.getMessage());
  }

  @Test
  void signatureOfWrongLengthIsABadSignature() {
    Map<String, String> headers = publicKeyMode.headers(NOW, NONCE, BODY);
    headers.put("Wechatpay-Signature", "AAAA");
    assertEquals(VerificationCheck.BAD_SIGNATURE, reject(headers, BODY).check());
  }

  @Test
  void exceptionCarriesRequestIdButNeverTheBodyOrKeys() {
    byte[] other = "{\"plan_name\":\"秘密计划 secret-marker\",\"x\":1}".getBytes(StandardCharsets.UTF_8);
    ResponseVerificationException e = reject(publicKeyMode.headers(NOW, NONCE, BODY), other);
    assertEquals("08F78BB5AF0610D302180018F2E9A0C407-0", e.requestId());
    assertEquals("createDeliveryPlan", e.operationId());
    assertTrue(e.getMessage().contains("Request-ID 08F78BB5AF0610D302180018F2E9A0C407-0"),
        e.getMessage());
    assertFalse(e.getMessage().contains("secret-marker"), e.getMessage());
    assertFalse(e.getMessage().contains("秘密"), e.getMessage());
    assertFalse(e.getMessage().contains("BEGIN"), e.getMessage());
  }

  @Test
  void headerNamesAreCaseInsensitive() {
    Map<String, String> lower = publicKeyMode.headers(NOW, NONCE, BODY).entrySet().stream()
        .collect(Collectors.toMap(en -> en.getKey().toLowerCase(), Map.Entry::getValue));
    verify(answer(200, lower, BODY));
  }

  private ResponseVerificationException reject(Map<String, String> headers, byte[] body) {
    return assertThrows(ResponseVerificationException.class,
        () -> verify(answer(200, headers, body)));
  }

  /** An answer as the client sees it, with the service's Request-ID unless the headers name one. */
  static Answer answer(int status, Map<String, String> headers, byte[] body) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.putIfAbsent("Request-ID", "08F78BB5AF0610D302180018F2E9A0C407-0");
    return new Answer(status, all, body);
  }

  /** Verifies as the client does, throwing what the client throws. */
  private void verify(Answer a) {
    verifier.check(HeaderLookup.of(a.headers), a.body).ifPresent(f -> {
      throw new ResponseVerificationException(f.check(), f.detail(), "createDeliveryPlan",
          java.util.List.of(), new io.github.wechatpaypartner.exception.ResponseException.Answer(
              a.status, HeaderLookup.of(a.headers).first("Request-ID"), null, a.body));
    });
  }

  static final class Answer {
    final int status;
    final Map<String, String> headers;
    final byte[] body;

    Answer(int status, Map<String, String> headers, byte[] body) {
      this.status = status;
      this.headers = headers;
      this.body = body;
    }
  }
}
