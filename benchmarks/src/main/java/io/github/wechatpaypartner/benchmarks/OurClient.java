package io.github.wechatpaypartner.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.client.ApiClient;
import io.github.wechatpaypartner.client.api.DeliveryPlanApi;
import io.github.wechatpaypartner.client.api.ProductCouponApi;
import io.github.wechatpaypartner.client.model.AddStockBundleRequest;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest;
import io.github.wechatpaypartner.client.model.UpdateStockBudgetRequest;
import java.security.Provider;
import java.util.Objects;

/**
 * Our generated client with our signing hooks and an explicit provider, aimed at the loopback
 * server. The request model is built once from the spec's example; each call serializes it,
 * signs, sends, verifies the answer and deserializes it into the response model.
 */
public final class OurClient {
  private OurClient() {
  }

  public static ApiClient apiClient(TestKeys keys, Provider provider, String baseUri) {
    OurHooks hooks = OurHooks.create(keys, provider);
    return new ApiClient(baseUri)
        .setRequestHook(hooks.signer)
        .setResponseHook(hooks.verifier);
  }

  public static RoundTrip call(TestKeys keys, Provider provider, String baseUri, SpecFixtures.Operation op) {
    ApiClient client = apiClient(keys, provider, baseUri);
    ObjectMapper mapper = client.getObjectMapper();
    switch (op.operationId) {
      case "createDeliveryPlan": {
        DeliveryPlanApi api = new DeliveryPlanApi(client);
        CreateDeliveryPlanRequest body = model(mapper, op.requestExample, CreateDeliveryPlanRequest.class);
        return () -> Objects.requireNonNull(api.createDeliveryPlan(body), "answer");
      }
      case "addStockBundle": {
        ProductCouponApi api = new ProductCouponApi(client);
        String productCouponId = op.pathParameters.get("product_coupon_id");
        AddStockBundleRequest body = model(mapper, op.requestExample, AddStockBundleRequest.class);
        return () -> Objects.requireNonNull(api.addStockBundle(productCouponId, body), "answer");
      }
      case "updateStockBudget": {
        ProductCouponApi api = new ProductCouponApi(client);
        String productCouponId = op.pathParameters.get("product_coupon_id");
        String stockId = op.pathParameters.get("stock_id");
        UpdateStockBudgetRequest body = model(mapper, op.requestExample, UpdateStockBudgetRequest.class);
        return () -> Objects.requireNonNull(api.updateStockBudget(productCouponId, stockId, body), "answer");
      }
      default:
        throw new IllegalArgumentException("no client call for " + op.operationId);
    }
  }

  private static <T> T model(ObjectMapper mapper, JsonNode example, Class<T> type) {
    try {
      return mapper.treeToValue(example, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the spec's example does not map to " + type.getSimpleName(), e);
    }
  }
}
