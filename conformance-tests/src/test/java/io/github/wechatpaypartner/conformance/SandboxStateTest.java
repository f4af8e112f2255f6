package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.conformance.support.ExamplePaths;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.SuiteSandbox;
import io.github.wechatpaypartner.conformance.support.SpecCalls;
import io.github.wechatpaypartner.exception.ServiceException;
import io.github.wechatpaypartner.sandbox.MarketingState;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SandboxSettings;
import io.github.wechatpaypartner.sandbox.junit.SandboxClient;
import io.github.wechatpaypartner.sandbox.junit.SandboxExtension;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point 3 of the sandbox issue, through {@code WechatPayClient}: plans, bundles and stocks live in
 * the sandbox's memory with generated ids; answers carry what was sent; the pages' documented
 * outcomes happen (a reused out_request_no on addStockBundle is ALREADY_EXISTS, an unknown coupon or
 * stock NOT_FOUND, an expired stock's budget INVALID_REQUEST); the budget update checks current_*
 * against the stock and changes it; a repeated out_request_no on the other two calls follows the
 * setting; the seed comes from the spec's examples or a file. Codes and messages are the spec's.
 */
class SandboxStateTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SuiteSandbox.perClass(s -> s.couponReceiptOnNewBundle(false));
  private static final SpecDocument SPEC = SpecDocument.load(ModulePaths.spec());
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private Sandbox sandbox;
  private WechatPayClient client;

  @BeforeEach
  void fresh(Sandbox sandbox, WechatPayClient client) {
    this.sandbox = sandbox;
    this.client = client;
    sandbox.reset();
  }

  @Test
  void aPlanIsCreatedFromWhatWasSentWithAGeneratedId() throws Exception {
    ObjectNode request = example("createDeliveryPlan");
    request.put("plan_name", "沙箱投放计划").put("recommend_word", "沙箱").put("total_count", 12345);
    JsonNode first = call("createDeliveryPlan", request).path("plan");
    JsonNode second = call("createDeliveryPlan", request.put("out_request_no", "sandbox-plan-2")).path("plan");
    for (String field : new String[] {"plan_name", "recommend_word", "total_count", "user_limit", "daily_limit",
        "stock_id", "product_coupon_id", "brand_id", "delivery_start_time", "delivery_end_time"}) {
      assertEquals(request.get(field).asText(), first.path(field).asText(), field);
    }
    assertEquals(answerExample("createDeliveryPlan").path("plan").path("plan_state"), first.path("plan_state"));
    assertTrue(first.path("plan_id").asText().matches("[1-9][0-9]{4,}"), first::toString);
    assertNotEquals(first.path("plan_id"), second.path("plan_id"));
    assertEquals(first, MAPPER.valueToTree(sandbox.state().deliveryPlan(first.path("plan_id").asText()).orElseThrow()));
  }

  @Test
  void aBundleMakesOneStockPerStepWithGeneratedIds() throws Exception {
    ObjectNode request = example("addStockBundle");
    ObjectNode rule = (ObjectNode) request.path("stock_bundle").path("progressive_bundle_usage_rule");
    rule.withArrayProperty("normal_coupon_list").addObject().put("threshold", 20000).put("discount_amount", 300);
    JsonNode answer = call("addStockBundle", request);
    String couponId = ExamplePaths.of(op("addStockBundle")).get("product_coupon_id");
    assertEquals(2, answer.path("stock_list").size(), answer::toString);
    String bundleId = answer.path("stock_bundle_id").asText();
    assertTrue(bundleId.matches("[1-9][0-9]{8,}"), bundleId);
    for (int i = 0; i < 2; i++) {
      JsonNode stock = answer.path("stock_list").path(i);
      assertTrue(stock.path("stock_id").asText().matches(couponId + "[0-9]{3}"), stock::toString);
      assertEquals(bundleId, stock.path("stock_bundle_info").path("stock_bundle_id").asText());
      assertEquals(i, stock.path("stock_bundle_info").path("stock_bundle_index").asInt());
      assertEquals(rule.path("normal_coupon_list").path(i), stock.path("progressive_bundle_usage_rule").path("normal_coupon"));
      assertEquals(request.path("stock_bundle").path("remark"), stock.path("remark"));
      assertEquals(request.path("brand_id"), stock.path("brand_id"));
      assertEquals(MAPPER.valueToTree(sandbox.state().stock(couponId, stock.path("stock_id").asText()).orElseThrow()),
          stock);
    }
    // Only the first step has discount and exchange rules in this request.
    assertTrue(answer.path("stock_list").path(0).path("progressive_bundle_usage_rule").has("discount_coupon"));
    assertTrue(!answer.path("stock_list").path(1).path("progressive_bundle_usage_rule").has("discount_coupon"));
  }

  @Test
  void aReusedOutRequestNoOnAddStockBundleIsAlreadyExists() throws Exception {
    ObjectNode request = example("addStockBundle");
    call("addStockBundle", request);
    assertServiceError(() -> call("addStockBundle", request), 400, "ALREADY_EXISTS");
    assertEquals(1, sandbox.state().stockBundles().stream()
        .filter(b -> request.path("out_request_no").equals(b.path("out_request_no"))).count());
  }

  @Test
  void anUnknownCouponOrStockIsNotFound() {
    SpecOperation budget = op("updateStockBudget");
    Map<String, String> path = new HashMap<>(ExamplePaths.of(budget));
    path.put("stock_id", "1000000013999");
    assertServiceError(() -> call("updateStockBudget", path, example("updateStockBudget")), 404, "NOT_FOUND_STOCK");
    path.put("product_coupon_id", "9999999999");
    assertServiceError(() -> call("updateStockBudget", path, example("updateStockBudget")), 404, "NOT_FOUND");
    assertServiceError(() -> call("addStockBundle", Map.of("product_coupon_id", "9999999999"), example("addStockBundle")),
        404, "NOT_FOUND");
  }

  @Test
  void aBundleOnASingleCouponBreaksABusinessRule() {
    assertServiceError(() -> call("addStockBundle", Map.of("product_coupon_id",
        ExamplePaths.of(op("updateStockBudget")).get("product_coupon_id")), example("addStockBundle")),
        400, "INVALID_REQUEST_BUSINESS_RULE");
  }

  @Test
  void theBudgetUpdateChecksTheCurrentValueAndChangesIt() throws Exception {
    Map<String, String> path = ExamplePaths.of(op("updateStockBudget"));
    ObjectNode request = example("updateStockBudget");
    ObjectNode wrong = request.deepCopy().put("current_max_count", request.path("current_max_count").asLong() + 1);
    ServiceException refused = assertServiceError(() -> call("updateStockBudget", wrong), 400, "INVALID_REQUEST_BUSINESS_RULE");
    assertEquals("/current_max_count", refused.detail().get("field"));

    JsonNode stock = call("updateStockBudget", request);
    assertEquals(request.path("target_max_count"), stock.path("stock_send_rule").path("max_count"));
    assertEquals(request.path("target_max_count"), sandbox.state().stock(path.get("product_coupon_id"),
        path.get("stock_id")).orElseThrow().path("stock_send_rule").path("max_count"));

    ObjectNode next = request.deepCopy().put("out_request_no", "update_budget_sandbox_2")
        .put("current_max_count", request.path("target_max_count").asLong()).put("target_max_count", 150);
    assertEquals(150, call("updateStockBudget", next).path("stock_send_rule").path("max_count").asLong());
  }

  @Test
  void theBudgetOfAnExpiredStockCannotChange() {
    Map<String, String> path = ExamplePaths.of(op("updateStockBudget"));
    sandbox.state().setStockState(path.get("product_coupon_id"), path.get("stock_id"), MarketingState.EXPIRED_STATE);
    assertServiceError(() -> call("updateStockBudget", example("updateStockBudget")), 400, "INVALID_REQUEST_EXPIRED_STOCK");
  }

  @Test
  void aRepeatedRequestIsReplayedAndADifferentOneWithTheSameNumberRefused() throws Exception {
    ObjectNode request = example("createDeliveryPlan");
    JsonNode first = call("createDeliveryPlan", request);
    assertEquals(first, call("createDeliveryPlan", request));
    assertEquals(1, sandbox.state().deliveryPlans().size());
    ServiceException refused = assertServiceError(() -> call("createDeliveryPlan", request.deepCopy().put("plan_name", "其他")),
        400, "PARAM_ERROR");
    assertEquals("/out_request_no", refused.detail().get("field"));
  }

  @Test
  void processAgainMakesEveryCallNew() throws Exception {
    try (Sandbox other = Sandbox.start(SandboxSettings.builder().spec(ModulePaths.spec())
        .repeatedRequestNo(MarketingState.RepeatedRequestNo.PROCESS_AGAIN).build())) {
      WechatPayClient otherClient = SandboxClient.builder(other).build();
      ObjectNode request = example("createDeliveryPlan");
      JsonNode first = SpecCalls.callForTree(otherClient, op("createDeliveryPlan"), request);
      JsonNode second = SpecCalls.callForTree(otherClient, op("createDeliveryPlan"), request);
      assertNotEquals(first.path("plan").path("plan_id"), second.path("plan").path("plan_id"));
      assertEquals(2, other.state().deliveryPlans().size());
    }
  }

  @Test
  void theSeedComesFromTheSpecsExamples() {
    SpecOperation budget = op("updateStockBudget");
    Map<String, String> path = ExamplePaths.of(budget);
    JsonNode stock = sandbox.state().stock(path.get("product_coupon_id"), path.get("stock_id")).orElseThrow();
    JsonNode answer = budget.responses().get(200).examples.values().iterator().next();
    assertEquals(answer.path("coupon_display_info"), stock.path("coupon_display_info"));
    for (JsonNode request : budget.requestExamples().values()) {
      String dimension = request.path("update_mode").asText().toLowerCase(java.util.Locale.ROOT);
      assertEquals(request.path("current_" + dimension), stock.path("stock_send_rule").path(dimension), dimension);
    }
    JsonNode plan = example("createDeliveryPlan");
    assertTrue(sandbox.state().stock(plan.path("product_coupon_id").asText(), plan.path("stock_id").asText()).isPresent());
    JsonNode bundle = op("addStockBundle").responses().get(200).examples.values().iterator().next();
    assertTrue(sandbox.state().stockBundles().stream()
        .anyMatch(b -> b.path("stock_bundle_id").equals(bundle.path("stock_bundle_id"))));
  }

  @Test
  void theSeedCanComeFromAFile(@TempDir Path dir) throws Exception {
    ObjectNode seed = sandbox.state().seed();
    ObjectNode stock = (ObjectNode) seed.path("stocks").path(0);
    seed.withArrayProperty("product_coupons").addObject().put("product_coupon_id", "3000000001")
        .put("usage_mode", "SINGLE").put("brand_id", stock.path("brand_id").asText());
    ObjectNode mine = stock.deepCopy().put("product_coupon_id", "3000000001").put("stock_id", "3000000001001");
    mine.withObjectProperty("stock_send_rule").put("max_count", 777);
    seed.withArrayProperty("stocks").removeAll().add(mine);
    Path file = Files.writeString(dir.resolve("seed.json"), seed.toString());
    try (Sandbox seeded = Sandbox.start(SandboxSettings.builder().spec(ModulePaths.spec()).seed(file).build())) {
      WechatPayClient seededClient = SandboxClient.builder(seeded).build();
      ObjectNode request = example("updateStockBudget").put("current_max_count", 777).put("target_max_count", 700);
      JsonNode answer = SpecCalls.callForTree(seededClient, op("updateStockBudget"),
          Map.of("product_coupon_id", "3000000001", "stock_id", "3000000001001"), request);
      assertEquals(700, answer.path("stock_send_rule").path("max_count").asLong());
      assertEquals(1, seeded.state().stocks().size());
    }
  }

  private JsonNode call(String operationId, JsonNode body) throws Exception {
    return SpecCalls.callForTree(client, op(operationId), body);
  }

  private JsonNode call(String operationId, Map<String, String> path, JsonNode body) throws Exception {
    return SpecCalls.callForTree(client, op(operationId), path, body);
  }

  /** The call fails with the spec's error example {@code name}: its status, code and message. */
  private static ServiceException assertServiceError(org.junit.jupiter.api.function.Executable call, int status, String name) {
    ServiceException e = assertThrows(ServiceException.class, call);
    JsonNode example = SandboxChecksTest.exampleOf(SPEC.operations().values().iterator().next(), name);
    assertEquals(status, e.statusCode(), e::getMessage);
    assertEquals(example.path("code").asText(), e.errorCode(), e::getMessage);
    assertEquals(example.path("message").asText(), e.errorMessage(), e::getMessage);
    return e;
  }

  private static SpecOperation op(String operationId) {
    return SPEC.operation(operationId);
  }

  private static ObjectNode example(String operationId) {
    return SpecCalls.firstExample(op(operationId));
  }

  private static JsonNode answerExample(String operationId) {
    return op(operationId).responses().get(200).examples.values().iterator().next();
  }
}
