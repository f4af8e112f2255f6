package io.github.wechatpaypartner.client.generated;

import io.github.wechatpaypartner.testing.FakeClients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.testkit.FakeWechatPay;
import io.github.wechatpaypartner.client.model.AddStockBundleRequest;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest;
import io.github.wechatpaypartner.client.model.UpdateMaxCountBudget;
import io.github.wechatpaypartner.client.model.UpdateStockBudgetRequest;
import io.github.wechatpaypartner.client.validation.Constraints;
import io.github.wechatpaypartner.exception.RequestValidationException;
import io.github.wechatpaypartner.exception.Violation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests that break the spec's constraints are refused before any I/O with one exception that
 * lists every problem. The broken values are derived from the constraints read from the spec.
 */
class RequestValidationTest {
  private final FakeWechatPay service = new FakeWechatPay();
  private final WechatPayClient client = FakeClients.builder(service).build();

  @AfterEach
  void nothingWasSent() {
    assertEquals(List.of(), service.requests(), "the service must receive nothing");
  }

  @SuppressWarnings("rawtypes")
  private static Schema schema(Schema s) {
    while (s != null && s.get$ref() != null) {
      s = SpecSupport.openApi().getComponents().getSchemas().get(s.get$ref().substring(s.get$ref().lastIndexOf('/') + 1));
    }
    return s;
  }

  @SuppressWarnings("rawtypes")
  private static Schema component(String name) {
    return schema(SpecSupport.openApi().getComponents().getSchemas().get(name));
  }

  /**
   * Breaks every property of {@code schemaName} that has a checkable constraint, starting from a
   * valid example; returns property name to the expected start of the rule text.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static Map<String, String> breakEveryConstraint(String schemaName, ObjectNode body) {
    Map<String, String> expected = new LinkedHashMap<>();
    Map<String, Schema> props = component(schemaName).getProperties();
    for (Map.Entry<String, Schema> p : props.entrySet()) {
      Schema s = schema(p.getValue());
      Object weighted = s.getExtensions() == null ? null : s.getExtensions().get("x-wechatpay-weighted-max-length");
      if (weighted != null) {
        int w = ((Number) weighted).intValue();
        body.put(p.getKey(), "汉".repeat(w / 2 + 1)); // CJK counts 2: one over the weighted limit
        expected.put(p.getKey(), "weighted length");
      } else if (s.getEnum() != null && !s.getEnum().isEmpty()) {
        body.put(p.getKey(), "NOT_A_VALUE_OF_THE_SPEC");
        expected.put(p.getKey(), "must be one of");
      } else if (s.getMaxLength() != null) {
        body.put(p.getKey(), "x".repeat(s.getMaxLength() + 1));
        expected.put(p.getKey(), "length must be <=");
      } else if (s.getMinimum() != null) {
        body.put(p.getKey(), s.getMinimum().subtract(BigDecimal.ONE));
        expected.put(p.getKey(), "must be >=");
      } else if (s.getMaximum() != null) {
        body.put(p.getKey(), s.getMaximum().add(BigDecimal.ONE));
        expected.put(p.getKey(), "must be <=");
      }
    }
    return expected;
  }

  private static JsonNode requestExample(String operationId) {
    return SpecSupport.examples(operationId, SpecSupport.json(
        SpecSupport.operations().get(operationId).getRequestBody().getContent())).get(0).value.deepCopy();
  }

  private static void assertListsEveryProblem(RequestValidationException e, String prefix, Map<String, String> expected) {
    for (Map.Entry<String, String> x : expected.entrySet()) {
      String path = prefix + x.getKey();
      assertTrue(e.violations().stream().anyMatch(v -> v.path().equals(path) && v.rule().startsWith(x.getValue())),
          "missing " + path + ": " + x.getValue() + " in\n" + e.getMessage());
    }
    for (Violation v : e.violations()) {
      assertTrue(e.getMessage().contains("\n  " + v.path() + ": " + v.rule() + " (" + v.value() + ")"), e.getMessage());
    }
  }

  @Test
  void everyBrokenConstraintOfABodyIsListed() throws Exception {
    ObjectNode body = (ObjectNode) requestExample("createDeliveryPlan");
    Map<String, String> expected = breakEveryConstraint("CreateDeliveryPlanRequest", body);
    assertTrue(expected.size() >= 3, "the spec should constrain several properties: " + expected);
    CreateDeliveryPlanRequest request = SpecSupport.MAPPER.treeToValue(body, CreateDeliveryPlanRequest.class);

    RequestValidationException e = assertThrows(RequestValidationException.class,
        () -> client.deliveryPlanApi().createDeliveryPlan(request));

    assertEquals("createDeliveryPlan", e.subject());
    assertListsEveryProblem(e, "", expected);
  }

  @Test
  void missingRequiredFieldsAreListedAtEveryDepth() {
    List<String> required = new ArrayList<>(component("AddStockBundleRequest").getRequired());
    required.remove("stock_bundle");
    Map<String, String> expected = new LinkedHashMap<>();
    required.forEach(r -> expected.put(r, "is required"));
    for (Object r : component("StockBundleDraft").getRequired()) {
      expected.put("stock_bundle." + r, "is required");
    }
    Parameter idParam = SpecSupport.operations().get("addStockBundle").getParameters().stream()
        .filter(p -> "path".equals(p.getIn())).findFirst().orElseThrow();
    assertEquals(Integer.valueOf(1), schema(idParam.getSchema()).getMinLength());
    expected.put(idParam.getName(), "length must be >= 1");
    AddStockBundleRequest request = new AddStockBundleRequest().stockBundle(new io.github.wechatpaypartner.client.model.StockBundleDraft());

    RequestValidationException e = assertThrows(RequestValidationException.class,
        () -> client.productCouponApi().addStockBundle("", request));

    assertListsEveryProblem(e, "", expected);
    assertEquals(expected.size(), e.violations().size(), e.getMessage());
  }

  @Test
  void listElementsAreCheckedWithTheirIndex() throws Exception {
    ObjectNode body = (ObjectNode) requestExample("addStockBundle");
    ObjectNode display = (ObjectNode) body.get("stock_bundle").get("usage_rule_display_info");
    display.putArray("coupon_usage_method_list").add("OFFLINE").add("NOT_A_METHOD");
    AddStockBundleRequest request = SpecSupport.MAPPER.treeToValue(body, AddStockBundleRequest.class);

    ExecutionException e = assertThrows(ExecutionException.class,
        () -> client.productCouponApi().addStockBundleAsync("1000000013", request).get());

    RequestValidationException cause = assertInstanceOf(RequestValidationException.class, e.getCause());
    assertEquals(1, cause.violations().size(), cause.getMessage());
    assertEquals("stock_bundle.usage_rule_display_info.coupon_usage_method_list[1]", cause.violations().get(0).path());
  }

  @Test
  void oneOfBranchIsValidatedAndUpdateModeIsNotAskedFor() {
    List<String> required = new ArrayList<>(component("UpdateMaxCountBudget").getRequired());
    required.remove(SpecSupport.openApi().getComponents().getSchemas().get("UpdateStockBudgetRequest")
        .getDiscriminator().getPropertyName());

    RequestValidationException e = assertThrows(RequestValidationException.class,
        () -> client.productCouponApi().updateStockBudget("1000000013", "1000000013001",
            new UpdateStockBudgetRequest(new UpdateMaxCountBudget())));

    Map<String, String> expected = new LinkedHashMap<>();
    required.forEach(r -> expected.put(r, "is required"));
    assertListsEveryProblem(e, "", expected);
    assertEquals(required.size(), e.violations().size(), e.getMessage());
  }

  @Test
  void validRequestsOfTheSpecPassValidation() throws Exception {
    for (String op : SpecSupport.operations().keySet()) {
      if (SpecSupport.operations().get(op).getRequestBody() == null) {
        continue; // a GET or DELETE: its parameters are checked by the generated method itself
      }
      for (SpecSupport.NamedExample ex : SpecSupport.examples(op, SpecSupport.json(
          SpecSupport.operations().get(op).getRequestBody().getContent()))) {
        Object body = SpecSupport.MAPPER.readValue(SpecSupport.MAPPER.writeValueAsBytes(ex.value),
            SpecSupport.MAPPER.getTypeFactory().constructType(SpecSupport.requestType(op)));
        List<Violation> out = new ArrayList<>();
        Object model = body instanceof io.github.wechatpaypartner.client.model.AbstractOpenApiSchema
            ? ((io.github.wechatpaypartner.client.model.AbstractOpenApiSchema) body).getActualInstance() : body;
        ((io.github.wechatpaypartner.client.validation.Validatable) model).collectViolations("", out);
        assertEquals(List.of(), out, ex.name);
      }
    }
  }

  @Test
  void weightedLengthCountsCjkAndFullWidthAsTwo() {
    assertEquals(4, Constraints.weightedLength("abcd"));
    assertEquals(4, Constraints.weightedLength("冬季"));
    assertEquals(3, Constraints.weightedLength("Ａb")); // full-width A
    assertEquals(7, Constraints.weightedLength("天天a有"));
    assertFalse(Constraints.weightedLength("😀") > 1); // one code point, not CJK
  }
}
