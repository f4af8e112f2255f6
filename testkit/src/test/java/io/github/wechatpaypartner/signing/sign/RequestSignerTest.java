package io.github.wechatpaypartner.signing.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.signing.CryptoProvider;
import io.github.wechatpaypartner.signing.TestPki;
import io.github.wechatpaypartner.signing.keys.MerchantCredentials;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestSignerTest {
  static final String MCHID = "1900000001";
  static final String SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
  static final String PUB_KEY_ID = "PUB_KEY_ID_0114232134912410000000000000";
  static final long NOW = 1554208460L;
  static final String NONCE = "593BEC0C930BF1AFEB40B4A08C8FB242";
  private static final Pattern PAIR = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  @TempDir Path dir;

  private final KeyPair merchant = TestPki.merchantKey();

  static Stream<Arguments> messages() {
    return Stream.of(
        Arguments.of("POST", "https://api.mch.weixin.qq.com/v3/marketing/partner/delivery-plan/delivery-plans",
            "{\"plan_name\":\"新年派券计划\",\"brand_id\":\"120344\"}"),
        Arguments.of("POST", "https://api.mch.weixin.qq.com/v3/marketing/partner/product-coupon/product-coupons/1000123/stock-bundles",
            "{\"comment\":\"emoji 🎉🧧 and 表情\"}"),
        Arguments.of("POST", "https://api.mch.weixin.qq.com/v3/marketing/partner/product-coupon/product-coupons/1000123/stocks/98065/update-budget",
            "{\"remark\":\"say \\\"hi\\\" \\\\ back\\\\slash\\n\"}"),
        Arguments.of("GET", "https://api.mch.weixin.qq.com/v3/marketing/partner/product-coupon/product-coupons?brand_id=120344&offset=0&limit=10",
            ""),
        Arguments.of("GET", "https://api.mch.weixin.qq.com/v3/x/%E4%B8%AD%E6%96%87?q=a%20b&c=%22d%22",
            ""));
  }

  @ParameterizedTest
  @MethodSource("messages")
  void signatureMatchesOpensslByteForByte(String method, String url, String body) throws Exception {
    URI uri = URI.create(url);
    String canonical = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);

    String header = fixedSigner(CryptoProvider.jdk())
        .authorization(method, RequestSigner.canonicalUrl(uri), bodyBytes);
    Map<String, String> fields = parse(header);

    // Independent message and signature: the openssl CLI over the five lines written by hand.
    String message = method + "\n" + canonical + "\n" + NOW + "\n" + NONCE + "\n" + body + "\n";
    Files.write(dir.resolve("message.txt"), message.getBytes(StandardCharsets.UTF_8));
    TestPki.write(dir, "key.pem", TestPki.pkcs8Pem(merchant.getPrivate()));
    byte[] expected = TestPki.openssl(dir, "dgst", "-sha256", "-sign", "key.pem", "message.txt");

    assertEquals(Base64.getEncoder().encodeToString(expected), fields.get("signature"));
  }

  @Test
  void headerParsesBackAndVerifiesWithThePublicKey() throws Exception {
    byte[] body = "{\"stock_id\":\"98065\",\"名称\":\"测试\"}".getBytes(StandardCharsets.UTF_8);
    String header = fixedSigner(CryptoProvider.jdk()).authorization("POST",
        "/v3/marketing/partner/delivery-plan/delivery-plans", body);

    assertTrue(header.startsWith("WECHATPAY2-SHA256-RSA2048 mchid=\""), header);
    Map<String, String> fields = parse(header);
    assertEquals(Map.of("mchid", MCHID, "nonce_str", NONCE, "timestamp", Long.toString(NOW),
        "serial_no", SERIAL, "signature", fields.get("signature")), fields);

    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(merchant.getPublic());
    verifier.update(("POST\n/v3/marketing/partner/delivery-plan/delivery-plans\n" + NOW + "\n"
        + NONCE + "\n").getBytes(StandardCharsets.UTF_8));
    verifier.update(body);
    verifier.update((byte) '\n');
    assertTrue(verifier.verify(Base64.getDecoder().decode(fields.get("signature"))));
  }

  @Test
  void headersSignTheRawPathQueryAndExactBodyAndNameTheWechatpaySerial() throws Exception {
    RequestSigner signer = fixedSigner(CryptoProvider.jdk());
    byte[] body = "{\"a\":\"中\"}".getBytes(StandardCharsets.UTF_8);
    URI uri = URI.create("https://api2.mch.weixin.qq.com/v3/p/%E4%B8%AD?x=%2F1&y=2");
    Map<String, String> headers = signer.headers("POST", RequestSigner.canonicalUrl(uri), body);

    assertEquals(PUB_KEY_ID, headers.get("Wechatpay-Serial"));
    assertEquals(signer.authorization("POST", "/v3/p/%E4%B8%AD?x=%2F1&y=2", body),
        headers.get("Authorization"));
  }

  @Test
  void wechatpaySerialComesFromTheKeySet() {
    WechatPayKeySet keys = WechatPayKeySet.builder()
        .publicKey(PUB_KEY_ID, TestPki.wechatpayKey().getPublic()).build();
    RequestSigner signer = RequestSigner.builder(credentials(), keys)
        .provider(CryptoProvider.jdk()).build();
    assertEquals(PUB_KEY_ID, signer.wechatpaySerial());
  }

  @Test
  void defaultNonceIs32UpperCaseHexAndFreshTimestampFromClock() {
    RequestSigner signer = RequestSigner.builder(credentials(), PUB_KEY_ID)
        .clock(Clock.fixed(Instant.ofEpochSecond(1700000000L), ZoneOffset.UTC))
        .provider(CryptoProvider.jdk())
        .build();
    Map<String, String> first = parse(signer.authorization("GET", "/v3/a", new byte[0]));
    Map<String, String> second = parse(signer.authorization("GET", "/v3/a", new byte[0]));
    assertTrue(first.get("nonce_str").matches("[0-9A-F]{32}"), first.get("nonce_str"));
    assertNotEquals(first.get("nonce_str"), second.get("nonce_str"));
    assertEquals("1700000000", first.get("timestamp"));
  }

  @Test
  void badArgumentsAreNamedBeforeSigning() {
    RequestSigner signer = fixedSigner(CryptoProvider.jdk());
    IllegalArgumentException method = assertThrows(IllegalArgumentException.class,
        () -> signer.authorization("post", "/v3/a", new byte[0]));
    assertTrue(method.getMessage().startsWith("method must be an upper-case HTTP method"));
    IllegalArgumentException url = assertThrows(IllegalArgumentException.class,
        () -> signer.authorization("GET", "https://api.mch.weixin.qq.com/v3/a", new byte[0]));
    assertTrue(url.getMessage().startsWith("canonicalUrl must be the absolute path"));
    assertThrows(io.github.wechatpaypartner.exception.ConfigurationException.class,
        () -> RequestSigner.builder(credentials(), "serial with spaces"));
  }

  @Test
  void toStringShowsNoKeyMaterial() {
    RequestSigner signer = fixedSigner(CryptoProvider.jdk());
    String text = signer.toString();
    assertTrue(text.contains(MCHID) && text.contains(SERIAL) && text.contains(PUB_KEY_ID), text);
    String encoded = Base64.getEncoder().encodeToString(merchant.getPrivate().getEncoded());
    for (int i = 0; i + 16 <= encoded.length(); i += 16) {
      assertFalse(text.contains(encoded.substring(i, i + 16)), text);
    }
    assertFalse(text.contains("PRIVATE KEY"), text);
  }

  static MerchantCredentials credentials() {
    return MerchantCredentials.of(MCHID, SERIAL, TestPki.merchantKey().getPrivate());
  }

  static RequestSigner fixedSigner(CryptoProvider provider) {
    return RequestSigner.builder(credentials(), PUB_KEY_ID)
        .clock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC))
        .nonceSource(() -> NONCE)
        .provider(provider)
        .build();
  }

  /** key="value" pairs after the scheme. */
  static Map<String, String> parse(String header) {
    assertTrue(header.startsWith(RequestSigner.SCHEME + " "), header);
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher m = PAIR.matcher(header.substring(RequestSigner.SCHEME.length() + 1));
    int pairs = 0;
    while (m.find()) {
      fields.put(m.group(1), m.group(2));
      pairs++;
    }
    assertEquals(5, pairs, header);
    return fields;
  }
}
