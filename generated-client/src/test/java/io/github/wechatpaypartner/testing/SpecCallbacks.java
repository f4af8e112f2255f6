package io.github.wechatpaypartner.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.wechatpaypartner.testkit.FakeWechatPay;
import io.github.wechatpaypartner.testkit.ServiceSigner;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Callbacks as the service sends them: the spec's x-webhooks example envelopes, signed with the
 * fake's WeChat Pay key. Their ciphertexts were made with the test-only APIv3 key that each
 * example's summary quotes.
 */
public final class SpecCallbacks {
  private static final Pattern QUOTED_KEY = Pattern.compile("APIv3 key \"([^\"]{32})\"");
  private static final ServiceSigner SERVICE = new ServiceSigner(FakeWechatPay.KEYS.wechatpayKeys().getPrivate(),
      FakeWechatPay.KEYS.wechatpayPublicKeyId(), Clock.systemUTC());

  private SpecCallbacks() {
  }

  /** The first example of {@code eventType}'s envelope. */
  public static JsonNode example(String eventType) {
    JsonNode examples = SpecDocument.load().tree().path("x-webhooks").path(eventType).path("post")
        .path("requestBody").path("content").path("application/json").path("examples");
    if (!examples.elements().hasNext()) {
      throw new IllegalStateException("The spec has no example callback of " + eventType);
    }
    return examples.elements().next();
  }

  /** The example envelope as the body bytes the service POSTs. */
  public static byte[] body(String eventType) {
    try {
      return SpecExamples.MAPPER.writeValueAsBytes(example(eventType).path("value"));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The APIv3 key the example's ciphertext was made with, as its summary quotes it. */
  public static String apiV3Key(String eventType) {
    String summary = example(eventType).path("summary").asText();
    Matcher m = QUOTED_KEY.matcher(summary);
    if (!m.find()) {
      throw new IllegalStateException("The summary of " + eventType + "'s example quotes no APIv3 key: " + summary);
    }
    return m.group(1);
  }

  /** The service's signature headers for {@code body}, now, in a case-insensitive map. */
  public static Map<String, String> signedHeaders(byte[] body) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(SERVICE.headers(body));
    return headers;
  }
}
