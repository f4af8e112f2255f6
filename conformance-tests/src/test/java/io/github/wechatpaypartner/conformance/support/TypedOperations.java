package io.github.wechatpaypartner.conformance.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.wechatpaypartner.client.ApiClient;
import io.github.wechatpaypartner.client.api.DeliveryPlanApi;
import io.github.wechatpaypartner.client.api.ProductCouponApi;
import io.github.wechatpaypartner.client.model.AddStockBundleRequest;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest;
import io.github.wechatpaypartner.client.model.UpdateStockBudgetRequest;
import io.github.wechatpaypartner.conformance.support.SpecDocument.SpecOperation;
import java.util.Map;
import java.util.TreeMap;

/**
 * How each spec operation is called through the generated client: the request example read into
 * the generated request model, path parameters from the spec's parameter examples. The key set is
 * what the typed-client tests cover; {@code CoverageGuardTest} fails when the spec gains an
 * operation missing here.
 */
public final class TypedOperations {
  /** Calls one operation with a request example; returns the typed answer. */
  @FunctionalInterface
  public interface Invoker {
    Object call(ApiClient client, SpecOperation operation, JsonNode example) throws Exception;
  }

  private static final Map<String, Invoker> INVOKERS = new TreeMap<>(Map.of(
      "createDeliveryPlan", (client, op, example) -> new DeliveryPlanApi(client)
          .createDeliveryPlan(read(client, example, CreateDeliveryPlanRequest.class)),
      "addStockBundle", (client, op, example) -> new ProductCouponApi(client)
          .addStockBundle(op.pathParameterExample("product_coupon_id"),
              read(client, example, AddStockBundleRequest.class)),
      "updateStockBudget", (client, op, example) -> new ProductCouponApi(client)
          .updateStockBudget(op.pathParameterExample("product_coupon_id"), op.pathParameterExample("stock_id"),
              read(client, example, UpdateStockBudgetRequest.class))));

  private TypedOperations() {
  }

  /** By operationId. */
  public static Map<String, Invoker> invokers() {
    return INVOKERS;
  }

  public static Invoker invoker(String operationId) {
    Invoker invoker = INVOKERS.get(operationId);
    if (invoker == null) {
      throw new IllegalStateException("No typed call for operation " + operationId
          + ": add it to TypedOperations");
    }
    return invoker;
  }

  /** The example as the generated model, read with the client's own ObjectMapper. */
  public static <T> T read(ApiClient client, JsonNode example, Class<T> type) throws JsonProcessingException {
    return client.getObjectMapper().treeToValue(example, type);
  }
}
