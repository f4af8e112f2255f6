package io.github.wechatpaypartner.signing.notification;

import io.github.wechatpaypartner.testkit.ResourceEncryptor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.exception.NotificationVerificationException;
import io.github.wechatpaypartner.exception.NotificationDecryptionException;
import io.github.wechatpaypartner.exception.NotificationFormatException;
import io.github.wechatpaypartner.exception.ConfigurationException;
import io.github.wechatpaypartner.signing.CryptoProvider;
import io.github.wechatpaypartner.signing.TestPki;
import io.github.wechatpaypartner.testkit.ServiceSigner;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import io.github.wechatpaypartner.exception.VerificationCheck;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotificationParserTest {
  static final String API_V3_KEY = "TestFixtureApiV3Key0123456789abc";
  static final String PUB_KEY_ID = "PUB_KEY_ID_0114232134912410000000000000";
  static final long NOW = 1700000000L;
  static final String RESOURCE = "{\"plan_id\":\"12345\",\"plan_state\":\"DELIVERING\","
      + "\"audit_state\":\"PASSED\",\"change_reason\":\"审核通过\","
      + "\"modify_time\":\"2023-11-15T06:13:20+08:00\",\"future_field\":true}";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServiceSigner wechatpay =
      new ServiceSigner(TestPki.wechatpayKey().getPrivate(), PUB_KEY_ID, Clock.systemUTC());
  private final WechatPayKeySet keySet = WechatPayKeySet.builder()
      .publicKey(PUB_KEY_ID, TestPki.wechatpayKey().getPublic()).build();

  /** What a handler maps the resource onto (the lead maps real events to generated models). */
  public static class PlanChange {
    public String planId;
    public String planState;
    public String auditState;
    public String changeReason;
    public OffsetDateTime modifyTime;

    public void setPlan_id(String v) {
      planId = v;
    }

    public void setPlan_state(String v) {
      planState = v;
    }

    public void setAudit_state(String v) {
      auditState = v;
    }

    public void setChange_reason(String v) {
      changeReason = v;
    }

    public void setModify_time(OffsetDateTime v) {
      modifyTime = v;
    }
  }

  @Test
  void parsesVerifiesAndDecryptsACallback() {
    byte[] body = envelope(API_V3_KEY, "delivery_plan", "nonce0123456", RESOURCE);
    Notification n = parser().parse(signed(NOW, "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", body),
        body);

    assertEquals("EV-2018022511223320873", n.id());
    assertEquals(OffsetDateTime.parse("2023-11-15T06:13:21+08:00"), n.createTime());
    assertEquals("DELIVERY_PLAN.CHANGE", n.eventType());
    assertEquals("encrypt-resource", n.resourceType());
    assertEquals("投放计划状态变更", n.summary());
    assertEquals("AEAD_AES_256_GCM", n.algorithm());
    assertEquals("delivery_plan", n.originalType());
    assertEquals("delivery_plan", n.associatedData());
    assertEquals(RESOURCE, n.resourceJson());
    assertEquals("PASSED", n.resourceTree().get("audit_state").asText());

    PlanChange change = n.resourceAs(PlanChange.class);
    assertEquals("12345", change.planId);
    assertEquals("审核通过", change.changeReason);
    assertEquals(OffsetDateTime.parse("2023-11-15T06:13:20+08:00"), change.modifyTime);

    assertEquals(PlanChange.class, n.knownType().get());
    assertEquals("12345", ((PlanChange) n.resource()).planId);
    String text = n.toString();
    assertTrue(text.contains("EV-2018022511223320873") && !text.contains("审核通过"), text);
  }

  @Test
  void headersMayComeAsALookupFunctionOrMapInAnyCase() {
    byte[] body = envelope(API_V3_KEY, null, "nonce0123456", RESOURCE);
    Map<String, String> headers = signed(NOW, "abc", body);
    Map<String, String> lower = new java.util.HashMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(), v));

    assertEquals(RESOURCE, parser().parse(lower, body).resourceJson());
    assertEquals(RESOURCE, parser().parse(lower::get, body).resourceJson());
  }

  @Test
  void unknownEventTypeHasNoResourceClass() {
    byte[] body = envelope(API_V3_KEY, "x", "nonce0123456", RESOURCE);
    NotificationParser plain = NotificationParser.builder(keySet, ApiV3Key.of(API_V3_KEY))
        .clock(clock()).provider(CryptoProvider.jdk()).build();
    Notification n = plain.parse(signed(NOW, "abc", body), body);
    assertFalse(n.knownType().isPresent());
    NotificationFormatException e = assertThrows(NotificationFormatException.class, n::resource);
    assertTrue(e.getMessage().contains("No resource class is registered for event_type"
        + " DELIVERY_PLAN.CHANGE"), e.getMessage());
  }

  @Test
  void tamperedCiphertextFailsAtTheTag() throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(envelope(API_V3_KEY, "delivery_plan", "n0123456789a",
        RESOURCE));
    ObjectNode resource = (ObjectNode) root.get("resource");
    byte[] ct = Base64.getDecoder().decode(resource.get("ciphertext").asText());
    ct[3] ^= 0x01;
    resource.put("ciphertext", Base64.getEncoder().encodeToString(ct));
    byte[] body = JSON.writeValueAsBytes(root);

    assertDecryptionFails(parser(), body);
  }

  @Test
  void wrongApiV3KeyFailsAtTheTag() {
    byte[] body = envelope("AnotherTestFixtureKey0123456789x", "delivery_plan", "n0123456789a",
        RESOURCE);
    assertDecryptionFails(parser(), body);
  }

  @Test
  void wrongAssociatedDataFailsAtTheTag() throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(envelope(API_V3_KEY, "delivery_plan", "n0123456789a",
        RESOURCE));
    ((ObjectNode) root.get("resource")).put("associated_data", "product_coupon");
    assertDecryptionFails(parser(), JSON.writeValueAsBytes(root));
  }

  @Test
  void staleTimestampFailsWithItsOwnMessage() {
    byte[] body = envelope(API_V3_KEY, "delivery_plan", "n0123456789a", RESOURCE);
    NotificationVerificationException e = assertThrows(NotificationVerificationException.class,
        () -> parser().parse(signed(NOW - 600, "abc", body), body));
    assertEquals(VerificationCheck.TIMESTAMP_OUT_OF_WINDOW, e.check());
    assertTrue(e.getMessage().contains("is 600 s behind the local clock"), e.getMessage());
    assertEquals("08F78BB5AF0610D302180018F2E9A0C407-0", e.requestId());
  }

  @Test
  void badSignatureFailsWithItsOwnMessage() {
    byte[] body = envelope(API_V3_KEY, "delivery_plan", "n0123456789a", RESOURCE);
    Map<String, String> headers = new ServiceSigner(TestPki.otherKey().getPrivate(), PUB_KEY_ID, Clock.systemUTC())
        .headers(NOW, "abc", body);
    NotificationVerificationException e = assertThrows(NotificationVerificationException.class,
        () -> parser().parse(headers, body));
    assertEquals(VerificationCheck.BAD_SIGNATURE, e.check());
    assertTrue(e.getMessage().contains("Wechatpay-Signature does not match"), e.getMessage());
    assertFalse(e.getMessage().contains("ciphertext"), e.getMessage());
  }

  @Test
  void signtestProbeAndUnknownSerialAreRejected() {
    byte[] body = envelope(API_V3_KEY, "delivery_plan", "n0123456789a", RESOURCE);
    Map<String, String> probe = signed(NOW, "abc", body);
    probe.put("Wechatpay-Signature", "WECHATPAY/SIGNTEST/abc");
    assertEquals(VerificationCheck.SIGNTEST_PROBE, assertThrows(
        NotificationVerificationException.class, () -> parser().parse(probe, body)).check());

    Map<String, String> serial = signed(NOW, "abc", body);
    serial.put("Wechatpay-Serial", "PUB_KEY_ID_0999");
    assertEquals(VerificationCheck.UNKNOWN_SERIAL, assertThrows(
        NotificationVerificationException.class, () -> parser().parse(serial, body)).check());
  }

  @Test
  void otherAlgorithmIsRejected() throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(envelope(API_V3_KEY, "x", "n0123456789a", RESOURCE));
    ((ObjectNode) root.get("resource")).put("algorithm", "AEAD_SM4_GCM");
    byte[] body = JSON.writeValueAsBytes(root);
    NotificationFormatException e = assertThrows(NotificationFormatException.class,
        () -> parser().parse(signed(NOW, "abc", body), body));
    assertTrue(e.getMessage().contains("is 'AEAD_SM4_GCM'; only AEAD_AES_256_GCM is supported"),
        e.getMessage());
  }

  @Test
  void malformedEnvelopeIsNamed() throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(envelope(API_V3_KEY, "x", "n0123456789a", RESOURCE));
    ((ObjectNode) root.get("resource")).remove("ciphertext");
    byte[] body = JSON.writeValueAsBytes(root);
    NotificationFormatException e = assertThrows(NotificationFormatException.class,
        () -> parser().parse(signed(NOW, "abc", body), body));
    assertEquals("resource.ciphertext is missing or not a non-empty string", e.getMessage());

    byte[] notJson = "not json".getBytes(StandardCharsets.UTF_8);
    assertEquals("The callback body is not JSON", assertThrows(NotificationFormatException.class,
        () -> parser().parse(signed(NOW, "abc", notJson), notJson)).getMessage());
  }

  @Test
  void apiV3KeyMustBeExactly32Bytes() {
    ConfigurationException shorter = assertThrows(ConfigurationException.class,
        () -> ApiV3Key.of(API_V3_KEY.substring(1)));
    assertTrue(shorter.getMessage().startsWith("The APIv3 key must be exactly 32 bytes (AES-256),"
        + " got 31 bytes"), shorter.getMessage());
    ConfigurationException longer = assertThrows(ConfigurationException.class,
        () -> ApiV3Key.of(API_V3_KEY + "x"));
    assertTrue(longer.getMessage().contains("got 33 bytes"), longer.getMessage());
    assertFalse(longer.getMessage().contains(API_V3_KEY), longer.getMessage());
    assertEquals("ApiV3Key[hidden]", ApiV3Key.of(API_V3_KEY).toString());
  }

  private static void assertDecryptionFails(NotificationParser parser, byte[] body) {
    Map<String, String> headers =
        new ServiceSigner(TestPki.wechatpayKey().getPrivate(), PUB_KEY_ID, Clock.systemUTC()).headers(NOW, "abc", body);
    NotificationDecryptionException e = assertThrows(NotificationDecryptionException.class,
        () -> parser.parse(headers, body));
    assertEquals("decryption failed: wrong APIv3 key, tampered ciphertext or wrong associated_data",
        e.getMessage());
  }

  private NotificationParser parser() {
    return NotificationParser.builder(keySet, ApiV3Key.of(API_V3_KEY))
        .clock(clock())
        .provider(CryptoProvider.jdk())
        .knownType("DELIVERY_PLAN.CHANGE", PlanChange.class)
        .build();
  }

  private static Clock clock() {
    return Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
  }

  /** A callback body as the service builds it: AES-256-GCM with the APIv3 key, tag appended. */
  static byte[] envelope(String apiV3Key, String associatedData, String nonce, String resource) {
    try {
      String ciphertext = new ResourceEncryptor(ApiV3Key.of(apiV3Key)).encrypt(resource, nonce, associatedData);
      ObjectNode root = JSON.createObjectNode()
          .put("id", "EV-2018022511223320873")
          .put("create_time", "2023-11-15T06:13:21+08:00")
          .put("resource_type", "encrypt-resource")
          .put("event_type", "DELIVERY_PLAN.CHANGE")
          .put("summary", "投放计划状态变更");
      ObjectNode res = root.putObject("resource")
          .put("original_type", "delivery_plan")
          .put("algorithm", "AEAD_AES_256_GCM")
          .put("ciphertext", ciphertext)
          .put("nonce", nonce);
      if (associatedData != null) {
        res.put("associated_data", associatedData);
      }
      return JSON.writeValueAsBytes(root);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The headers of a callback signed by the test WeChat Pay key, with its Request-ID. */
  private Map<String, String> signed(long timestamp, String nonce, byte[] body) {
    Map<String, String> headers = new java.util.LinkedHashMap<>(wechatpay.headers(timestamp, nonce, body));
    headers.put("Request-ID", "08F78BB5AF0610D302180018F2E9A0C407-0");
    return headers;
  }
}
