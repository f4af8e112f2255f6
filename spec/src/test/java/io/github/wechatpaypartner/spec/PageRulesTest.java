package io.github.wechatpaypartner.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The rules of the official pages that the document once got wrong, each read from the document
 * and checked against what the page says (the page's words are quoted in each test). Values are
 * checked with the JSON Schema validator, so the rule holds for every consumer of the document,
 * not only for this project's client.
 */
class PageRulesTest {
  private static final String PLANS = "/v3/marketing/partner/delivery-plan/delivery-plans";
  private static final String BUNDLES = "/v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stock-bundles";

  private final JsonNode doc = SpecFiles.readTree(SpecFiles.source());
  private final SpecSchemaValidator validator = new SpecSchemaValidator(doc);

  // ------------------------------------------------------------------ claims the pages do not make

  /** The only documented outcome of a reused out_request_no is add-stock-bundle's 400 ALREADY_EXISTS. */
  @Test
  void noIdempotencyIsPromisedForOutRequestNo() {
    List<String> claims = new ArrayList<>();
    texts(doc, "", (where, text) -> {
      String lower = text.toLowerCase(Locale.ROOT);
      if (lower.contains("idempoten") && !where.startsWith("/x-webhooks")) {
        claims.add(where);
      }
      if (lower.contains("same request") || lower.contains("treats two calls")) {
        claims.add(where);
      }
    });
    assertEquals(List.of(), claims, "texts that promise idempotent calls, which no page does");
    JsonNode alreadyExists = doc.at("/components/responses/StockBundleBadRequest/content/application~1json/examples/ALREADY_EXISTS");
    assertFalse(alreadyExists.isMissingNode(), "add-stock-bundle must list 400 ALREADY_EXISTS (商品券批次组已存在)");
  }

  /** 500: 请稍后重试 (retry later); 429: 请稍后使用原参数重试 (retry later with the original parameters). */
  @Test
  void retryAdviceIsThePagesOwn() {
    String systemError = doc.at("/components/responses/InternalServerError/description").asText();
    assertTrue(systemError.contains("请稍后重试") && !systemError.contains("原参数") && !systemError.contains("same parameters"),
        () -> "500 must say only 请稍后重试 (retry later), not 'with the original parameters': " + systemError);
    String rateLimit = doc.at("/components/responses/TooManyRequests/description").asText();
    assertTrue(rateLimit.contains("请稍后使用原参数重试"),
        () -> "429 must say 请稍后使用原参数重试 (retry later with the original parameters): " + rateLimit);
  }

  // ------------------------------------------------------------------ wrong boundary and wrong scope

  /** 创建投放计划的券可用库存需在 10000 以上: at least 10000 (以上 includes it), on the coupon's stock. */
  @Test
  void tenThousandIsAtLeastAndAPreconditionOnTheCoupon() {
    String operation = operation(PLANS).path("description").asText();
    assertTrue(operation.contains("at least 10000") && operation.contains("10000 以上"),
        () -> "createDeliveryPlan must state the precondition as 'at least 10000' (10000 以上): " + operation);
    String totalCount = requestProperty("CreateDeliveryPlanRequest", "total_count").path("description").asText();
    assertFalse(totalCount.contains("more than 10000") || totalCount.contains("must have"),
        () -> "total_count must not carry the coupon-stock precondition as its own rule: " + totalCount);
    JsonNode schema = requestProperty("CreateDeliveryPlanRequest", "total_count");
    assertFalse(schema.has("minimum") && schema.get("minimum").asInt() >= 10000,
        "total_count must not be bounded by the coupon-stock precondition");
  }

  /** 后续修改不支持...: said of user_limit, daily_limit and the two times, never of total_count. */
  @Test
  void onlyTheLimitsAndTimesCannotChangeLater() {
    for (String field : List.of("user_limit", "daily_limit", "delivery_start_time", "delivery_end_time")) {
      String description = requestProperty("CreateDeliveryPlanRequest", field).path("description").asText();
      assertTrue(description.contains("后续修改不支持"), () -> field + " must carry the page's 后续修改不支持 rule: " + description);
    }
    String totalCount = requestProperty("CreateDeliveryPlanRequest", "total_count").path("description").asText();
    assertFalse(totalCount.contains("后续修改") || totalCount.toLowerCase(Locale.ROOT).contains("later"),
        () -> "the page says nothing about changing total_count later: " + totalCount);
    String operation = operation(PLANS).path("description").asText();
    assertFalse(operation.contains("`total_count`, `user_limit`"),
        () -> "the operation must not group total_count with the fields that cannot change later: " + operation);
  }

  // ------------------------------------------------------------------ over-strict

  /** plan_name: 30 个中文字符以内; by recommend_word's convention (9 中文 or 18 英文) Latin counts half. */
  @Test
  void planNameCountsLatinCharactersHalf() {
    JsonNode planName = requestProperty("CreateDeliveryPlanRequest", "plan_name");
    int weighted = planName.path("x-wechatpay-weighted-max-length").asInt(-1);
    assertEquals(60, weighted, "plan_name: 30 Chinese characters = weighted length 60");
    assertTrue(fits(planName, "a".repeat(60)), "60 Latin characters are within 30 个中文字符");
    assertTrue(fits(planName, "冬".repeat(30)), "30 Chinese characters are within 30 个中文字符");
    assertFalse(fits(planName, "冬".repeat(31)), "31 Chinese characters exceed 30 个中文字符");
    assertFalse(fits(planName, "a".repeat(61)), "61 Latin characters exceed 30 个中文字符");
    assertFalse(fits(planName, "冬".repeat(30) + "a"), "30 Chinese characters and one Latin exceed the weighted 60");

    JsonNode body = requestExample(PLANS).deepCopy();
    ((ObjectNode) body).put("plan_name", "a".repeat(60));
    Set<String> problems = validator.validate(requestSchemaPointer(PLANS), body);
    assertEquals(Set.of(), problems, "a 60-Latin-character plan_name must pass the request schema");

    JsonNode recommendWord = requestProperty("CreateDeliveryPlanRequest", "recommend_word");
    assertTrue(fits(recommendWord, "天".repeat(9)) && fits(recommendWord, "a".repeat(18)),
        "recommend_word: 不超过 9 个中文字符或18 个英文字符");
    assertFalse(fits(recommendWord, "天".repeat(10)), "recommend_word: 10 Chinese characters exceed 9");
  }

  /** The pages give DayPeriod begin_time/end_time no unit and no range (examples 60 and 86399 only). */
  @Test
  void dayPeriodHasNoInventedRangeOrUnit() {
    JsonNode properties = doc.at("/components/schemas/DayPeriod/properties");
    for (String field : List.of("begin_time", "end_time")) {
      JsonNode p = properties.path(field);
      assertFalse(p.has("minimum") || p.has("maximum"), () -> "DayPeriod." + field + " has a range no page gives: " + p);
      String description = p.path("description").asText().toLowerCase(Locale.ROOT);
      assertFalse(description.contains("seconds since") || description.contains("0-86399"),
          () -> "DayPeriod." + field + " claims a unit or range no page gives: " + description);
    }
  }

  // ------------------------------------------------------------------ too loose / lenient reading

  /** Requests: YYYY-MM-DDTHH:mm:ss+TIMEZONE exactly; no Z, no lower case, no fractions, seconds required. */
  @Test
  void requestTimesFollowThePagesFormatExactly() {
    String pointer = requestSchemaPointer(PLANS);
    JsonNode example = requestExample(PLANS);
    assertTrue(valid(pointer, example, "delivery_start_time", "2015-05-20T13:29:35+08:00"), "the page's own example");
    assertTrue(valid(pointer, example, "delivery_start_time", "2025-01-01T00:00:00-05:00"), "a negative offset");
    for (String refused : List.of("2015-05-20T05:29:35Z", "2015-05-20t13:29:35+08:00", "2015-05-20T13:29:35.123+08:00",
        "2015-05-20T13:29+08:00", "2015-05-20 13:29:35+08:00", "2015-13-20T13:29:35+08:00")) {
      assertFalse(valid(pointer, example, "delivery_start_time", refused),
          () -> refused + " must fail the request schema (YYYY-MM-DDTHH:mm:ss+TIMEZONE)");
    }
    List<String> unpatterned = new ArrayList<>();
    forEachRequestSchema(schema -> timeProperties(schema, "", unpatterned, true));
    assertEquals(List.of(), unpatterned, "request time fields without the pages' pattern");
  }

  /** Answers: a time without seconds (the page's own deactivate_time 2025-01-01T00:00+08:00) still reads. */
  @Test
  void answerTimesAreReadLeniently() {
    String pointer = responseSchemaPointer(BUNDLES, "200");
    ObjectNode answer = responseExample(BUNDLES, "200").deepCopy();
    ObjectNode stock = (ObjectNode) answer.path("stock_list").get(0);
    stock.put("state", "DEACTIVATED").put("deactivate_time", "2025-01-01T00:00+08:00");
    assertEquals(Set.of(), validator.validate(pointer, answer), "an answer time without seconds must be valid");
    List<String> strict = new ArrayList<>();
    doc.at("/components/schemas").fields().forEachRemaining(e -> timeProperties(e.getValue(), e.getKey(), strict, false));
    assertEquals(List.of(), strict, "answer time fields declared format: date-time (refuses a time without seconds)");
  }

  /** The trees pin event_type and resource.original_type per notification. */
  @Test
  void notificationEnvelopesPinTheirEventAndResourceType() {
    Map<String, String> originalTypes = Map.of("DELIVERY_PLAN.CHANGE", "delivery_plan", "PRODUCT_COUPON_SP.SEND", "product_coupon");
    for (Map.Entry<String, String> event : originalTypes.entrySet()) {
      String base = "/x-webhooks/" + event.getKey() + "/post/requestBody/content/application~1json";
      String pointer = SpecSchemaPointers.deref(doc, base + "/schema");
      JsonNode envelope = doc.at(base + "/examples").elements().next().path("value");
      assertEquals(Set.of(), validator.validate(pointer, envelope), event.getKey() + " example envelope");
      ObjectNode unknown = envelope.deepCopy();
      unknown.put("event_type", "UNKNOWN.EVENT");
      assertFalse(validator.validate(pointer, unknown).isEmpty(),
          () -> event.getKey() + ": an unknown event_type must fail the envelope schema");
      ObjectNode otherEvent = envelope.deepCopy();
      otherEvent.put("event_type", event.getKey().equals("DELIVERY_PLAN.CHANGE") ? "PRODUCT_COUPON_SP.SEND" : "DELIVERY_PLAN.CHANGE");
      assertFalse(validator.validate(pointer, otherEvent).isEmpty(),
          () -> event.getKey() + ": the other notification's event_type must fail this envelope");
      ObjectNode wrongResource = envelope.deepCopy();
      ((ObjectNode) wrongResource.path("resource")).put("original_type", "coupon");
      assertFalse(validator.validate(pointer, wrongResource).isEmpty(),
          () -> event.getKey() + ": resource.original_type other than " + event.getValue() + " must fail");
    }
  }

  /** Values the service assigns (states, channel) are open for readers; what a client sends stays closed. */
  @Test
  void serviceAssignedValuesAreOpenAndRequestValuesClosed() {
    Map<String, List<String>> pageValues = Map.of(
        "PlanState", List.of("PLAN_CREATING", "PLAN_CREATED", "PLAN_TERMINATING", "PLAN_TERMINATED", "PLAN_EXPIRED",
            "PLAN_DELIVERING", "PLAN_PAUSED"),
        "StockState", List.of("AUDITING", "SENDING", "PAUSED", "STOPPED", "DEACTIVATED"),
        "DeliveryPlanChangeState", List.of("CREATED", "DELIVERING", "PLAN_TERMINATED", "PAUSED", "TERMINATED", "EXPIRED"),
        "AuditState", List.of("PROCESSING", "PASSED", "REJECTED"),
        "SendChannel", List.of("API", "BRAND_MANAGE", "RECEIVE_COMPONENT", "MEMBER"));
    for (Map.Entry<String, List<String>> e : pageValues.entrySet()) {
      JsonNode schema = doc.at("/components/schemas/" + e.getKey());
      assertFalse(schema.has("enum"), () -> e.getKey() + " is closed (enum); a reader would refuse a new value");
      List<String> listed = new ArrayList<>();
      schema.path("x-extensible-enum").forEach(v -> listed.add(v.asText()));
      assertEquals(e.getValue(), listed, e.getKey() + ": x-extensible-enum must list the page's values");
    }
    ObjectNode answer = responseExample(PLANS, "200").deepCopy();
    ((ObjectNode) answer.path("plan")).put("plan_state", "PLAN_FROM_THE_FUTURE");
    assertEquals(Set.of(), validator.validate(responseSchemaPointer(PLANS, "200"), answer),
        "an answer with a plan_state the pages do not list must still be valid");
    ObjectNode request = requestExample(BUNDLES).deepCopy();
    ((ObjectNode) request.path("stock_bundle")).put("store_scope", "ELSEWHERE");
    assertFalse(validator.validate(requestSchemaPointer(BUNDLES), request).isEmpty(),
        "a request store_scope outside NONE/ALL/SPECIFIC must fail");
  }

  // ------------------------------------------------------------------ missing

  /** 应答规范: status 20X, 4XX or 5XX; code SUCCESS or FAIL. */
  @Test
  void notificationAnswersAreDeclared() {
    doc.path("x-webhooks").fields().forEachRemaining(webhook -> {
      JsonNode responses = webhook.getValue().path("post").path("responses");
      for (String status : List.of("2XX", "4XX", "5XX")) {
        assertTrue(responses.has(status), () -> webhook.getKey() + " must declare the answer " + status + " (应答规范)");
      }
      String failure = SpecSchemaPointers.deref(doc, SpecSchemaPointers.deref(doc,
          "/x-webhooks/" + SpecSchemaPointers.escape(webhook.getKey()) + "/post/responses/4XX") + "/content/application~1json/schema");
      assertEquals(Set.of(), validator.validate(failure, SpecFiles.JSON.createObjectNode().put("code", "FAIL").put("message", "失败")),
          webhook.getKey() + ": a 4xx answer {code: FAIL, message} must be valid");
      assertFalse(validator.validate(failure, SpecFiles.JSON.createObjectNode().put("code", "SUCCESS")).isEmpty(),
          () -> webhook.getKey() + ": a 4xx answer must say FAIL, not SUCCESS");
      String success = SpecSchemaPointers.deref(doc, SpecSchemaPointers.deref(doc,
          "/x-webhooks/" + SpecSchemaPointers.escape(webhook.getKey()) + "/post/responses/2XX") + "/content/application~1json/schema");
      assertEquals(Set.of(), validator.validate(success, SpecFiles.JSON.createObjectNode().put("code", "SUCCESS").put("message", "OK")),
          webhook.getKey() + ": the page's answer {code: SUCCESS, message: OK} must be valid");
    });
  }

  // ------------------------------------------------------------------ self-contradictory examples

  /** deactivate_* appear only when state is DEACTIVATED (当且仅当 state 为 DEACTIVATED 时提供). */
  @Test
  void deactivateFieldsOnlyWithStateDeactivated() {
    List<String> contradictions = new ArrayList<>();
    for (SpecExamples.Example example : SpecExamples.all(doc)) {
      collectStocks(example.value, stock -> {
        boolean deactivated = "DEACTIVATED".equals(stock.path("state").asText());
        for (Iterator<String> names = stock.fieldNames(); names.hasNext(); ) {
          String name = names.next();
          if (name.startsWith("deactivate_") && !deactivated) {
            contradictions.add(example.location + ": " + name + " with state " + stock.path("state").asText());
          }
        }
      });
    }
    assertEquals(List.of(), contradictions, "examples with deactivate_* fields while state is not DEACTIVATED");
  }

  // ------------------------------------------------------------------ helpers

  /** The weighted length of the extension: 2 per CJK or full-width character, 1 otherwise. */
  static int weightedLength(String value) {
    return value.codePoints().map(c -> wide(c) ? 2 : 1).sum();
  }

  private static boolean wide(int c) {
    Character.UnicodeScript script = Character.UnicodeScript.of(c);
    return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL
        || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF);
  }

  /** Within maxLength (characters) and within the weighted length of the extension. */
  private static boolean fits(JsonNode schema, String value) {
    int max = schema.path("maxLength").asInt(Integer.MAX_VALUE);
    int weightedMax = schema.path("x-wechatpay-weighted-max-length").asInt(Integer.MAX_VALUE);
    return value.codePointCount(0, value.length()) <= max && weightedLength(value) <= weightedMax;
  }

  private boolean valid(String pointer, JsonNode example, String field, String value) {
    ObjectNode body = example.deepCopy();
    body.put(field, value);
    return validator.validate(pointer, body).isEmpty();
  }

  private JsonNode operation(String path) {
    return doc.path("paths").path(path).path("post");
  }

  private JsonNode requestProperty(String schema, String property) {
    JsonNode p = doc.at("/components/schemas/" + schema + "/properties/" + property);
    if (p.isMissingNode()) {
      throw new IllegalStateException("the document has no " + schema + "." + property);
    }
    return p;
  }

  private String requestSchemaPointer(String path) {
    return SpecSchemaPointers.deref(doc, "/paths/" + SpecSchemaPointers.escape(path) + "/post/requestBody/content/application~1json/schema");
  }

  private String responseSchemaPointer(String path, String status) {
    return SpecSchemaPointers.deref(doc, "/paths/" + SpecSchemaPointers.escape(path) + "/post/responses/" + status
        + "/content/application~1json/schema");
  }

  private JsonNode requestExample(String path) {
    return operation(path).path("requestBody").path("content").path("application/json").path("examples").path("seed").path("value");
  }

  private JsonNode responseExample(String path, String status) {
    return operation(path).path("responses").path(status).path("content").path("application/json").path("examples")
        .path("seed").path("value");
  }

  /** Every schema an API request body refers to, directly or through $refs (each visited once). */
  private void forEachRequestSchema(java.util.function.Consumer<JsonNode> action) {
    Set<String> seen = new TreeSet<>();
    List<JsonNode> queue = new ArrayList<>();
    doc.path("paths").forEach(item -> item.forEach(op -> queue.add(op.path("requestBody"))));
    while (!queue.isEmpty()) {
      JsonNode node = queue.remove(queue.size() - 1);
      if (node.has("$ref")) {
        String ref = node.get("$ref").asText();
        if (seen.add(ref)) {
          queue.add(doc.at(ref.substring(1)));
        }
        continue;
      }
      if (node.has("type") || node.has("oneOf")) {
        action.accept(node);
      }
      node.forEach(child -> {
        if (child.isContainerNode()) {
          queue.add(child);
        }
      });
    }
  }

  /** String properties named *_time: in requests they need the pattern; in answers they must not assert date-time. */
  private static void timeProperties(JsonNode schema, String name, List<String> problems, boolean request) {
    schema.path("properties").fields().forEachRemaining(p -> {
      if (!p.getKey().endsWith("_time") || !"string".equals(p.getValue().path("type").asText())) {
        return;
      }
      if (request && !p.getValue().path("pattern").asText().contains("[0-5][0-9]:[0-5][0-9][+-]")) {
        problems.add(name + "." + p.getKey() + " (" + p.getValue().path("description").asText() + ")");
      }
      if (!request && "date-time".equals(p.getValue().path("format").asText())) {
        problems.add(name + "." + p.getKey());
      }
    });
  }

  private static void collectStocks(JsonNode node, java.util.function.Consumer<JsonNode> action) {
    if (node.isObject()) {
      if (node.has("state") && node.has("stock_id")) {
        action.accept(node);
      }
      node.forEach(child -> collectStocks(child, action));
    } else if (node.isArray()) {
      node.forEach(child -> collectStocks(child, action));
    }
  }

  /** Every description and summary of the document, with its JSON pointer. */
  private static void texts(JsonNode node, String pointer, java.util.function.BiConsumer<String, String> action) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        String child = pointer + "/" + SpecSchemaPointers.escape(e.getKey());
        if ((e.getKey().equals("description") || e.getKey().equals("summary")) && e.getValue().isTextual()) {
          action.accept(child, e.getValue().asText());
        } else {
          texts(e.getValue(), child, action);
        }
      });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        texts(node.get(i), pointer + "/" + i, action);
      }
    }
  }
}
