package io.github.wechatpaypartner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wechatpaypartner.client.SpecCatalog;
import io.github.wechatpaypartner.client.runtime.Operation;
import io.github.wechatpaypartner.testing.SpecExamples;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated catalog says what the spec says: servers, rate limits, notifications, webhooks. */
class SpecCatalogTest {
  private final JsonNode spec = SpecExamples.spec().tree();

  @Test
  void serversAreTheSpecsInOrder() {
    List<URI> servers = new ArrayList<>();
    spec.get("servers").forEach(s -> servers.add(URI.create(s.get("url").asText())));
    assertEquals(servers, SpecCatalog.SERVERS);
  }

  @Test
  void everyOperationCarriesItsMethodPathRateLimitAndNotifications() {
    Map<String, String> expected = new LinkedHashMap<>();
    spec.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(m -> {
      JsonNode op = m.getValue();
      if (op.has("operationId")) {
        expected.put(op.get("operationId").asText(), m.getKey().toUpperCase() + " " + path.getKey() + " "
            + op.path("x-wechatpay-rate-limit").asInt(0) + " " + op.path("x-wechatpay-notifications"));
      }
    }));
    Map<String, String> actual = new LinkedHashMap<>();
    for (Operation op : SpecCatalog.OPERATIONS.values()) {
      actual.put(op.id(), op.method() + " " + op.path() + " " + op.rateLimitPerSecond().orElse(0) + " "
          + (op.notifications().isEmpty() ? "" : "[\"" + String.join("\",\"", op.notifications()) + "\"]"));
    }
    assertEquals(expected, actual);
  }

  @Test
  void everyWebhookMapsToItsGeneratedModel() {
    Map<String, String> expected = new LinkedHashMap<>();
    spec.get("x-webhooks").fields().forEachRemaining(w -> {
      String ref = w.getValue().get("post").get("x-wechatpay-decrypted-resource").get("$ref").asText();
      expected.put(w.getKey(), ref.substring(ref.lastIndexOf('/') + 1));
    });
    Map<String, String> actual = new LinkedHashMap<>();
    WechatPayClient.webhookModels().forEach((event, type) -> actual.put(event, type.getSimpleName()));
    assertEquals(expected, actual);
  }
}
