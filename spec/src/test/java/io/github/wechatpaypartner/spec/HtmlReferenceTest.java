package io.github.wechatpaypartner.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The HTML reference (target/bundle/api-reference.html) as a consumer receives it: it shows
 * everything they implement, each notification's decrypted payload included, loads nothing from
 * anywhere, and names a CJK font stack for the Chinese labels.
 */
class HtmlReferenceTest {
  private final JsonNode document = SpecFiles.readTree(SpecFiles.source());
  private final String page = readPage();

  @Test
  void htmlShowsEveryOperationSchemaAndErrorCode() {
    Set<String> missing = new TreeSet<>();
    document.path("paths").forEach(item -> item.forEach(op -> {
      if (op.has("operationId") && !page.contains("id=\"op-" + op.get("operationId").asText() + "\"")) {
        missing.add("operation " + op.get("operationId").asText());
      }
    }));
    document.path("components").path("schemas").fieldNames().forEachRemaining(name -> {
      if (!page.contains("id=\"schema-" + name + "\"")) {
        missing.add("schema " + name);
      }
    });
    document.path("components").path("examples").forEach(example -> {
      JsonNode code = example.path("value").path("code");
      if (code.isTextual() && !page.contains("<code>" + code.asText() + "</code>")) {
        missing.add("error code " + code.asText());
      }
    });
    assertEquals(Set.of(), missing, "sections absent from the HTML reference");
  }

  /** A callback implementer's three parts: the envelope, the decrypted payload (every field), the answer. */
  @Test
  void eachNotificationShowsEnvelopeDecryptedPayloadAndAnswer() {
    document.path("x-webhooks").fields().forEachRemaining(webhook -> {
      JsonNode post = webhook.getValue().path("post");
      String section = section("webhook-" + webhook.getKey());
      String envelope = refName(post.at("/requestBody/content/application~1json/schema/$ref").asText());
      String payload = refName(post.path("x-wechatpay-decrypted-resource").path("$ref").asText());
      assertTrue(section.contains("#schema-" + envelope), () -> webhook.getKey() + ": the envelope " + envelope + " is not shown");
      assertTrue(section.contains("decrypts to <a href=\"#schema-" + payload + "\">"),
          () -> webhook.getKey() + ": the decrypted payload " + payload + " is not shown");
      List<String> absent = new ArrayList<>();
      document.at("/components/schemas/" + payload + "/properties").fieldNames().forEachRemaining(field -> {
        if (!section.contains("<code>" + field + "</code>")) {
          absent.add(field);
        }
      });
      assertEquals(List.of(), absent, webhook.getKey() + ": fields of " + payload + " not listed in its section");
      post.path("responses").fields().forEachRemaining(answer -> {
        String schema = refName(document.at(refPointer(answer.getValue()) + "/content/application~1json/schema/$ref").asText());
        assertTrue(section.contains("<h4>" + answer.getKey() + " ") && section.contains("#schema-" + schema),
            () -> webhook.getKey() + ": the answer " + answer.getKey() + " (" + schema + ") is not shown");
      });
    });
  }

  /** Nothing leaves the page: no script, stylesheet, image, frame or font from anywhere, no telemetry. */
  @Test
  void htmlLoadsNothing() {
    String lower = page.toLowerCase(Locale.ROOT);
    List<String> loads = new ArrayList<>();
    for (String element : List.of("<script", "<link", "<img", "<iframe", "<object", "<embed", "<audio", "<video", "<source",
        "<base")) {
      if (lower.contains(element)) {
        loads.add(element);
      }
    }
    for (String call : List.of("@import", "url(", "fetch(", "xmlhttprequest", "sendbeacon", "websocket", "eventsource",
        "telemetry", "analytics", "opentelemetry", "cdn.")) {
      if (lower.contains(call)) {
        loads.add(call);
      }
    }
    // An attribute that makes the browser fetch: src, srcset, poster, data, or href outside <a>.
    Matcher attributes = Pattern.compile("<(\\w+)[^>]*\\s(src|srcset|poster|data|href)\\s*=\\s*[\"']?([^\"'\\s>]*)").matcher(lower);
    while (attributes.find()) {
      boolean navigation = attributes.group(1).equals("a") && attributes.group(2).equals("href");
      if (!navigation) {
        loads.add("<" + attributes.group(1) + " " + attributes.group(2) + "=" + attributes.group(3));
      }
    }
    assertEquals(List.of(), loads, "the reference must not load or send anything");
    assertTrue(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"),
        "a Content-Security-Policy of default-src 'none' keeps the browser from any request");
  }

  /** Chinese renders with the viewer's CJK font, whichever of the usual ones they have. */
  @Test
  void htmlNamesACjkFontStack() {
    Matcher bodyFont = Pattern.compile("body \\{[^}]*font-family: ([^;]+);").matcher(page);
    assertTrue(bodyFont.find(), "the body has no font-family");
    String stack = bodyFont.group(1);
    for (String font : List.of("\"PingFang SC\"", "\"Hiragino Sans GB\"", "\"Microsoft YaHei\"", "\"Noto Sans CJK SC\"",
        "\"Source Han Sans SC\"", "\"WenQuanYi Micro Hei\"")) {
      assertTrue(stack.contains(font), () -> "the font stack does not name " + font + ": " + stack);
    }
    assertTrue(stack.trim().endsWith("sans-serif"), () -> "the font stack must end with the generic sans-serif: " + stack);
    assertTrue(page.contains("<html lang=\"zh-CN\">"), "the page's language lets the browser pick CJK glyphs");
  }

  private String section(String id) {
    int start = page.indexOf("id=\"" + id + "\"");
    assertTrue(start >= 0, () -> "no section " + id);
    int end = page.indexOf("</section>\n", start);
    return page.substring(start, end < 0 ? page.length() : end);
  }

  private static String refPointer(JsonNode response) {
    return response.has("$ref") ? response.get("$ref").asText().substring(1) : "";
  }

  private static String refName(String ref) {
    return ref.substring(ref.lastIndexOf('/') + 1);
  }

  private static String readPage() {
    Path html = SpecFiles.bundleDir().resolve("api-reference.html");
    assertTrue(Files.exists(html), "the build did not produce " + html);
    return SpecFiles.read(html);
  }
}
