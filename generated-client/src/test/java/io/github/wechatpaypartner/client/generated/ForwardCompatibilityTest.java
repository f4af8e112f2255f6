package io.github.wechatpaypartner.client.generated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.client.model.CouponUsageMethod;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanResponse;
import io.github.wechatpaypartner.client.model.Stock;
import io.github.wechatpaypartner.client.model.StoreScope;
import io.github.wechatpaypartner.exception.RequestValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Answers from a newer service version must still be readable: unknown members are ignored, an
 * enum value the spec does not know reads as UNKNOWN_DEFAULT_OPEN_API with its raw string kept
 * (and written back unchanged), and a number where the spec says string reads as its text.
 */
class ForwardCompatibilityTest {

  /** The first 2xx example of an operation, as a mutable tree (read from the spec, never copied). */
  private static ObjectNode successExample(String operationId) {
    return (ObjectNode) SpecSupport.operations().get(operationId).getResponses().entrySet().stream()
        .filter(r -> r.getKey().startsWith("2"))
        .flatMap(r -> SpecSupport.examples(r.getKey(), SpecSupport.json(r.getValue().getContent())).stream())
        .findFirst().orElseThrow().value.deepCopy();
  }

  @Test
  void openStateReadsAsItsString() throws Exception {
    ObjectNode body = successExample("createDeliveryPlan");
    ((ObjectNode) body.get("plan")).put("plan_state", "PLAN_FROM_THE_FUTURE");

    CreateDeliveryPlanResponse answer = SpecSupport.MAPPER.treeToValue(body, CreateDeliveryPlanResponse.class);

    assertEquals("PLAN_FROM_THE_FUTURE", answer.getPlan().getPlanState());
    assertEquals(List.of(), JsonTrees.differences(body, SpecSupport.MAPPER.valueToTree(answer)));
  }

  @Test
  void unknownScalarEnumIsReadableAndKeepsItsRawValue() throws Exception {
    ObjectNode body = successExample("updateStockBudget");
    body.put("store_scope", "SCOPE_FROM_THE_FUTURE");

    Stock stock = SpecSupport.MAPPER.treeToValue(body, Stock.class);

    assertEquals(StoreScope.UNKNOWN_DEFAULT_OPEN_API, stock.getStoreScope());
    assertEquals("SCOPE_FROM_THE_FUTURE", stock.getStoreScopeRaw());
    JsonNode back = SpecSupport.MAPPER.valueToTree(stock);
    assertEquals("SCOPE_FROM_THE_FUTURE", back.get("store_scope").asText());
    assertEquals(List.of(), JsonTrees.differences(body, back));
  }

  @Test
  void knownEnumHasNoRawDifference() throws Exception {
    Stock stock = SpecSupport.MAPPER.treeToValue(successExample("updateStockBudget"), Stock.class);
    assertNotEquals(StoreScope.UNKNOWN_DEFAULT_OPEN_API, stock.getStoreScope());
    assertEquals(stock.getStoreScope().getValue(), stock.getStoreScopeRaw());
  }

  @Test
  void unknownValuesInsideEnumListsAreKept() throws Exception {
    ObjectNode body = successExample("updateStockBudget");
    body.put("state", "FROZEN_BY_NEW_RULE");
    ArrayNode methods = (ArrayNode) body.get("usage_rule_display_info").get("coupon_usage_method_list");
    methods.add("HOLOGRAM");

    Stock stock = SpecSupport.MAPPER.treeToValue(body, Stock.class);

    assertEquals("FROZEN_BY_NEW_RULE", stock.getState());
    List<CouponUsageMethod> typed = stock.getUsageRuleDisplayInfo().getCouponUsageMethodList();
    assertEquals(CouponUsageMethod.UNKNOWN_DEFAULT_OPEN_API, typed.get(typed.size() - 1));
    List<String> raw = stock.getUsageRuleDisplayInfo().getCouponUsageMethodListRaw();
    assertEquals("HOLOGRAM", raw.get(raw.size() - 1));
    assertEquals(List.of(), JsonTrees.differences(body, SpecSupport.MAPPER.valueToTree(stock)));
  }

  @Test
  void unknownMembersAreIgnoredAtEveryLevel() throws Exception {
    ObjectNode body = successExample("createDeliveryPlan");
    body.put("top_level_novelty", 1);
    ((ObjectNode) body.get("plan")).putObject("nested_novelty").put("x", "y");

    CreateDeliveryPlanResponse answer = SpecSupport.MAPPER.treeToValue(body, CreateDeliveryPlanResponse.class);
    CreateDeliveryPlanResponse plain = SpecSupport.MAPPER.treeToValue(successExample("createDeliveryPlan"),
        CreateDeliveryPlanResponse.class);

    assertEquals(plain, answer);
    // Also with a mapper that fails on unknown properties: the models themselves ignore them.
    com.fasterxml.jackson.databind.ObjectMapper strict = new com.fasterxml.jackson.databind.ObjectMapper()
        .findAndRegisterModules()
        .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(com.fasterxml.jackson.databind.DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    assertEquals(plain, strict.treeToValue(body, CreateDeliveryPlanResponse.class));
  }

  @Test
  void numberWhereSpecSaysStringReadsAsText() throws Exception {
    ObjectNode body = successExample("createDeliveryPlan");
    String brandId = body.get("plan").get("brand_id").asText();
    ((ObjectNode) body.get("plan")).put("brand_id", Long.parseLong(brandId));
    assertTrue(body.get("plan").get("brand_id").isNumber());

    CreateDeliveryPlanResponse answer = SpecSupport.MAPPER.treeToValue(body, CreateDeliveryPlanResponse.class);

    assertEquals(brandId, answer.getPlan().getBrandId());
  }

  @Test
  void anUnknownEnumCannotBeSent() throws Exception {
    ObjectNode body = successExample("updateStockBudget");
    body.put("store_scope", "SCOPE_FROM_THE_FUTURE");
    Stock answer = SpecSupport.MAPPER.treeToValue(body, Stock.class);

    RequestValidationException e = org.junit.jupiter.api.Assertions.assertThrows(
        RequestValidationException.class, answer::validate);
    assertEquals(1, e.violations().size());
    assertEquals("store_scope", e.violations().get(0).path());
    assertTrue(e.violations().get(0).rule().startsWith("must be one of"), e.getMessage());
    assertFalse(e.violations().get(0).rule().contains("UNKNOWN_DEFAULT_OPEN_API"), e.getMessage());
  }
}
