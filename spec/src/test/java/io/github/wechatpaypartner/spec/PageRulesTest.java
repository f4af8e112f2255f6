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
  private static final String BUDGET =
      "/v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/update-budget";
  private static final String READING = "this document's reading";

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
    assertTrue(marksReading(operation),
        () -> "the page writes the condition in total_count's description; reading it as the coupon's must be marked: " + operation);
    String totalCount = requestProperty("CreateDeliveryPlanRequest", "total_count").path("description").asText();
    assertFalse(totalCount.contains("more than 10000") || totalCount.contains("must have"),
        () -> "total_count must not carry the coupon-stock precondition as its own rule: " + totalCount);
    JsonNode schema = requestProperty("CreateDeliveryPlanRequest", "total_count");
    assertFalse(schema.has("minimum") && schema.get("minimum").asInt() >= 10000,
        "total_count must not be bounded by the coupon-stock precondition");
  }

  /**
   * 如未填写, 表示投放计划层不限制,且后续修改不支持...: said of a limit or time LEFT OUT (user_limit,
   * daily_limit, the two times), never of one that was set, and never of total_count.
   */
  @Test
  void onlyALeftOutLimitOrTimeCannotBeSetLater() {
    for (String field : List.of("user_limit", "daily_limit", "delivery_start_time", "delivery_end_time")) {
      String description = requestProperty("CreateDeliveryPlanRequest", field).path("description").asText();
      assertTrue(description.contains("后续修改不支持") && description.contains("如未填写"),
          () -> field + " must carry the page's 如未填写 ... 后续修改不支持 rule, condition included: " + description);
      assertTrue(description.toLowerCase(Locale.ROOT).contains("left out"),
          () -> field + " must tie the rule to the field being left out: " + description);
      assertFalse(description.contains("cannot change this limit") || description.contains("can never"),
          () -> field + ": the page does not say a limit that was set can never change: " + description);
    }
    String limits = operation(PLANS).path("description").asText();
    assertTrue(limits.contains("如未填写, 表示投放计划层不限制,且后续修改不支持修改限额"),
        () -> "the operation must quote the page's condition (如未填写) with the rule: " + limits);
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
    List<String> patterned = new ArrayList<>();
    forEachRequestSchema(schema -> timeProperties(schema, "", patterned, true));
    assertEquals(List.of("delivery_end_time", "delivery_start_time"), patterned.stream().sorted().collect(java.util.stream.Collectors.toList()),
        "only the times whose page states the format (创建投放计划: 格式为YYYY-MM-DDTHH:mm:ss+TIMEZONE) carry its pattern");
  }

  /** Neither the 添加商品券批次组 page nor the newer SDK page states a format for the bundle's times. */
  @Test
  void bundleTimesCarryNoPatternTheirPagesDoNotState() {
    ObjectNode body = requestExample(BUNDLES).deepCopy();
    ObjectNode period = (ObjectNode) body.path("stock_bundle").path("progressive_bundle_usage_rule").path("coupon_available_period");
    period.put("available_begin_time", "2025-01-01T00:00+08:00");
    ((ObjectNode) period.path("irregular_available_period_list").get(0)).put("end_time", "2025-10-01T00:00:00Z");
    assertEquals(Set.of(), validator.validate(requestSchemaPointer(BUNDLES), body),
        "a bundle time in another RFC 3339 form must pass: no bundle source states a format");
    for (String schema : List.of("ProgressiveBundleAvailablePeriod", "ProgressiveBundleIrregularPeriod")) {
      doc.at("/components/schemas/" + schema + "/properties").fields().forEachRemaining(p -> {
        if (p.getKey().endsWith("_time")) {
          assertTrue(marksReading(p.getValue().path("description").asText()),
              () -> schema + "." + p.getKey() + ": the recommended form is this document's reading and must say so");
        }
      });
    }
  }

  /**
   * Answers: a time without seconds still reads; the one info.description cites as the reason is the
   * 添加商品券批次组 page's own answer example's deactivate_time, which that example must carry.
   */
  @Test
  void answerTimesAreReadLeniently() {
    String pointer = responseSchemaPointer(BUNDLES, "200");
    JsonNode answer = responseExample(BUNDLES, "200");
    String cited = answer.path("stock_list").get(0).path("deactivate_time").asText();
    assertTrue(cited.matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}$"),
        () -> "the page's answer example must keep its deactivate_time without seconds, got " + cited);
    String description = doc.at("/info/description").asText();
    assertTrue(description.contains("deactivate_time: " + cited),
        () -> "info.description must cite the example's own deactivate_time " + cited);
    assertEquals(Set.of(), validator.validate(pointer, answer), "the page's answer, time without seconds included, must be valid");
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

  /**
   * 应答规范: status 20X, 4XX or 5XX; code SUCCESS or FAIL (枚举值之一), message. Nothing is marked
   * required and no code is tied to a status, so every status takes every such body, an empty one too;
   * which status to answer when is this document's reading, and says so.
   */
  @Test
  void notificationAnswersAreThePagesAndTieNothing() {
    doc.path("x-webhooks").fields().forEachRemaining(webhook -> {
      JsonNode responses = webhook.getValue().path("post").path("responses");
      for (String status : List.of("2XX", "4XX", "5XX")) {
        assertTrue(responses.has(status), () -> webhook.getKey() + " must declare the answer " + status + " (应答规范)");
        String response = SpecSchemaPointers.deref(doc, "/x-webhooks/" + SpecSchemaPointers.escape(webhook.getKey())
            + "/post/responses/" + status);
        String schema = SpecSchemaPointers.deref(doc, response + "/content/application~1json/schema");
        for (JsonNode body : List.of(SpecFiles.JSON.createObjectNode(),
            SpecFiles.JSON.createObjectNode().put("code", "SUCCESS").put("message", "OK"),
            SpecFiles.JSON.createObjectNode().put("code", "FAIL"),
            SpecFiles.JSON.createObjectNode().put("message", "失败"))) {
          assertEquals(Set.of(), validator.validate(schema, body),
              () -> webhook.getKey() + " " + status + ": the page requires nothing and ties no code to a status, so " + body + " must be valid");
        }
        assertFalse(validator.validate(schema, SpecFiles.JSON.createObjectNode().put("code", "DONE")).isEmpty(),
            () -> webhook.getKey() + " " + status + ": code is SUCCESS or FAIL (枚举值之一)");
        String description = doc.at(response + "/description").asText();
        assertTrue(marksReading(description),
            () -> webhook.getKey() + " " + status + ": when to answer it is this document's reading and must say so: " + description);
      }
    });
  }

  /** The notes of the notification pages a callback implementer must not miss, with the pages' words. */
  @Test
  void notificationsCarryThePagesWarnings() {
    doc.path("x-webhooks").fields().forEachRemaining(webhook -> {
      String description = webhook.getValue().path("post").path("description").asText();
      for (String words : List.of("同样的通知可能会多次发送给商户系统", "一定要做签名验证", "校验通知的信息是否与商户侧的信息一致", "假通知",
          "平台探测流量")) {
        assertTrue(description.contains(words), () -> webhook.getKey() + " must carry the page's note " + words + ": " + description);
      }
    });
    JsonNode send = doc.at("/x-webhooks/PRODUCT_COUPON_SP.SEND/post");
    assertTrue(send.path("description").asText().contains("微信不保证通知最终能成功"),
        "PRODUCT_COUPON_SP.SEND: its page says delivery is not guaranteed (微信不保证通知最终能成功)");
    assertEquals(60, send.path("x-wechatpay-notification-retry").path("interval_seconds").asInt(), "每隔60秒重试一次");
    assertEquals(11, send.path("x-wechatpay-notification-retry").path("max_retries").asInt(), "最多重试11次");
    assertTrue(doc.at("/x-webhooks/DELIVERY_PLAN.CHANGE/post/x-wechatpay-notification-retry").isMissingNode(),
        "the DELIVERY_PLAN.CHANGE page states no resend schedule");
  }

  // ------------------------------------------------------------------ over-strict update-budget branches

  /** 其他模式下不应填写: each mode refuses the other mode's pair, and only that (not a field a newer revision adds). */
  @Test
  void budgetModesRefuseOnlyTheOtherPair() {
    String pointer = requestSchemaPointer(BUDGET);
    JsonNode examples = operation(BUDGET).path("requestBody").path("content").path("application/json").path("examples");
    Map<String, List<String>> otherPair = Map.of(
        "MAX_COUNT", List.of("current_max_count_per_day", "target_max_count_per_day"),
        "MAX_COUNT_PER_DAY", List.of("current_max_count", "target_max_count"));
    Set<String> modesSeen = new TreeSet<>();
    examples.forEach(named -> {
      JsonNode example = named.path("value");
      String mode = example.path("update_mode").asText();
      modesSeen.add(mode);
      ObjectNode newer = example.deepCopy();
      newer.put("field_of_a_newer_revision", "x");
      assertEquals(Set.of(), validator.validate(pointer, newer),
          () -> mode + ": a field the page does not forbid must pass (the page forbids only the other pair)");
      for (String forbidden : otherPair.get(mode)) {
        ObjectNode mixed = example.deepCopy();
        mixed.put(forbidden, 1);
        assertFalse(validator.validate(pointer, mixed).isEmpty(),
            () -> mode + ": " + forbidden + " belongs to the other mode (其他模式下不应填写) and must be refused");
      }
    });
    assertEquals(otherPair.keySet(), modesSeen, "the budget examples must cover both modes");
    doc.at(pointer + "/oneOf").forEach(branch -> assertFalse(doc.at(branch.path("$ref").asText().substring(1)).has("additionalProperties"),
        () -> branch + " must not be closed: the page forbids only the other mode's pair"));
  }

  // ------------------------------------------------------------------ widths

  /** The APIv3 rules: counts and amounts are 64-bit; no integer of the document is narrower. */
  @Test
  void everyIntegerIsInt64() {
    List<String> narrow = new ArrayList<>();
    integers(doc, "", narrow);
    assertEquals(List.of(), narrow, "integers that are not format: int64");
    assertTrue(doc.at("/info/description").asText().contains("`format: int64`, the width the APIv3 rules give counts and amounts"),
        "info.description must say which source the int64 width rests on");
  }

  // ------------------------------------------------------------------ self-contradictory examples

  /**
   * Examples labelled as a page's are the page's: the 添加商品券批次组 answer keeps its deactivate_* fields
   * beside state SENDING (the 修改商品券批次发放预算 page gives them only when DEACTIVATED), and the schema
   * tells readers not to infer the state from them.
   */
  @Test
  void pageAnswerExampleKeepsItsDeactivateFields() {
    List<JsonNode> stocks = new ArrayList<>();
    collectStocks(responseExample(BUNDLES, "200"), stocks::add);
    assertEquals(1, stocks.size(), "the page's answer example has one stock");
    JsonNode stock = stocks.get(0);
    Set<String> deactivate = new TreeSet<>();
    for (Iterator<String> names = stock.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (name.startsWith("deactivate_")) {
        deactivate.add(name);
      }
    }
    assertEquals(Set.of("deactivate_reason", "deactivate_request_no", "deactivate_time"), deactivate,
        "the page's answer example carries the three deactivate_* fields");
    assertEquals("SENDING", stock.path("state").asText(), "beside state SENDING, as on the page");
    assertTrue(doc.at("/components/schemas/BundleStock/description").asText().contains("does not infer the state"),
        "BundleStock must warn readers that the page's own example has deactivate_* with SENDING");
    String label = operation(BUNDLES).at("/responses/200/content/application~1json/examples/seed/summary").asText();
    assertEquals("Answer example of the official page", label, "an unchanged page example keeps the plain label");
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

  /** String properties named *_time: in requests, those with the pages' pattern; in answers, those asserting date-time. */
  private static void timeProperties(JsonNode schema, String name, List<String> problems, boolean request) {
    schema.path("properties").fields().forEachRemaining(p -> {
      if (!p.getKey().endsWith("_time") || !"string".equals(p.getValue().path("type").asText())) {
        return;
      }
      if (request && p.getValue().path("pattern").asText().contains("[0-5][0-9]:[0-5][0-9][+-]")) {
        problems.add(p.getKey());
      }
      if (!request && "date-time".equals(p.getValue().path("format").asText())) {
        problems.add(name + "." + p.getKey());
      }
    });
  }

  /** Says that it rests on no page: "this document's reading" (any case). */
  private static boolean marksReading(String text) {
    return text.toLowerCase(Locale.ROOT).contains(READING);
  }

  /** Every schema of type integer without format int64, with its JSON pointer. */
  private static void integers(JsonNode node, String pointer, List<String> narrow) {
    if (node.isObject()) {
      if ("integer".equals(node.path("type").asText()) && !"int64".equals(node.path("format").asText())) {
        narrow.add(pointer + " (" + node.path("format").asText("no format") + ")");
      }
      node.fields().forEachRemaining(e -> integers(e.getValue(), pointer + "/" + SpecSchemaPointers.escape(e.getKey()), narrow));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        integers(node.get(i), pointer + "/" + i, narrow);
      }
    }
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
