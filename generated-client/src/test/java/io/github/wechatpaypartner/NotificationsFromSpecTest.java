package io.github.wechatpaypartner;

import io.github.wechatpaypartner.testing.FakeClients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import io.github.wechatpaypartner.exception.NotificationException;
import io.github.wechatpaypartner.testkit.ServiceSigner;
import io.github.wechatpaypartner.testkit.FakeWechatPay;
import io.github.wechatpaypartner.signing.notification.Notification;
import io.github.wechatpaypartner.signing.notification.NotificationParser;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The notifications the spec describes (x-webhooks), parsed by the client's parser into the
 * generated models. The envelopes' ciphertexts in the spec were made with the test-only APIv3
 * key named in their summaries; the test signs them as the service would.
 */
class NotificationsFromSpecTest {
  private static final String TEST_API_V3_KEY = "TestOnlyApiV3KeyNotForProduction";

  private final ObjectMapper json = WechatPayJson.newObjectMapper();
  private final ServiceSigner service = new ServiceSigner(FakeWechatPay.KEYS.wechatpayKeys().getPrivate(),
      FakeWechatPay.KEYS.wechatpayPublicKeyId(), Clock.systemUTC());

  @TestFactory
  List<DynamicTest> everyWebhookExampleParsesIntoItsGeneratedModel() {
    JsonNode spec = SpecDocument.load().tree();
    NotificationParser parser = FakeClients.builder(new FakeWechatPay())
        .apiV3Key(TEST_API_V3_KEY)
        .build().notificationParser().orElseThrow();

    List<DynamicTest> tests = new ArrayList<>();
    spec.path("x-webhooks").fields().forEachRemaining(webhook -> {
      JsonNode post = webhook.getValue().path("post");
      String schemaRef = post.path("x-wechatpay-decrypted-resource").path("$ref").asText();
      JsonNode resourceExample = spec.at(schemaRef.substring(1)).path("example");
      post.path("requestBody").path("content").path("application/json").path("examples").fields()
          .forEachRemaining(example -> tests.add(DynamicTest.dynamicTest(webhook.getKey() + " " + example.getKey(), () -> {
            byte[] body = json.writeValueAsBytes(example.getValue().path("value"));
            Notification event = parser.parse(signed(body), body);

            assertEquals(webhook.getKey(), event.eventType());
            assertEquals(resourceExample, event.resourceTree(), "decrypted resource = the schema's example");
            Class<?> model = event.knownType().orElseThrow();
            assertEquals(schemaRef.substring(schemaRef.lastIndexOf('/') + 1), model.getSimpleName());
            Object typed = event.resource();
            assertInstanceOf(model, typed);
            assertEquals(resourceExample, json.valueToTree(typed), "the generated model keeps every field");

            byte[] tampered = new String(body, StandardCharsets.UTF_8)
                .replace(webhook.getKey(), webhook.getKey() + "X").getBytes(StandardCharsets.UTF_8);
            assertThrows(NotificationException.class, () -> parser.parse(signed(body), tampered),
                "a body that differs from the signed one is refused");
          })));
    });
    assertFalse(tests.isEmpty(), "the spec describes no notification example");
    return tests;
  }

  private Map<String, String> signed(byte[] body) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(service.headers(System.currentTimeMillis() / 1000, "593BEC0C930BF1AFEB40B4A08C8FB242", body));
    return headers;
  }
}
