package io.github.wechatpaypartner.fleet.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import io.github.wechatpaypartner.testkit.ServiceSigner;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A callback as the service POSTs it: the spec's example envelope of an event type (its
 * ciphertext made with the test-only APIv3 key its summary quotes), signed with the loopback
 * service's key.
 */
final class SpecCallback {
  private static final Pattern QUOTED_KEY = Pattern.compile("APIv3 key \"([^\"]{32})\"");
  private static final ServiceSigner SERVICE = new ServiceSigner(
      RateLimitedWechatPay.KEYS.wechatpayKeys().getPrivate(), RateLimitedWechatPay.KEYS.wechatpayPublicKeyId(),
      Clock.systemUTC());

  final String eventType;
  final String eventId;
  final String apiV3Key;
  final byte[] body;

  SpecCallback(String eventType) {
    JsonNode example = SpecDocument.load().tree().path("x-webhooks").path(eventType).path("post")
        .path("requestBody").path("content").path("application/json").path("examples").elements().next();
    this.eventType = eventType;
    this.eventId = example.path("value").path("id").asText();
    Matcher key = QUOTED_KEY.matcher(example.path("summary").asText());
    if (!key.find()) {
      throw new IllegalStateException("The example of " + eventType + " quotes no APIv3 key");
    }
    this.apiV3Key = key.group(1);
    try {
      this.body = WechatPayJson.newObjectMapper().writeValueAsBytes(example.path("value"));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fresh signature headers, as on each delivery. */
  Map<String, String> headers() {
    return SERVICE.headers(body);
  }
}
