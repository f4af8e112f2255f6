package io.github.wechatpaypartner.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.client.api.DeliveryPlanApi;
import io.github.wechatpaypartner.client.api.ProductCouponApi;
import io.github.wechatpaypartner.client.model.AddStockBundleRequest;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest;
import io.github.wechatpaypartner.client.model.UpdateStockBudgetRequest;
import io.github.wechatpaypartner.signing.CryptoProvider;
import io.github.wechatpaypartner.signing.WechatPayClient;
import java.net.URI;
import java.security.Provider;
import java.util.Objects;

/**
 * Our client as a user builds it ({@link WechatPayClient#builder()}, default settings: retries,
 * timeouts, response verification), with an explicit provider and aimed at the loopback server.
 * The request model is built once from the spec's example; each call validates and serializes it,
 * signs, sends, verifies the answer and deserializes it into the response model.
 */
public final class OurClient {
  private OurClient() {
  }

  public static WechatPayClient client(TestKeys keys, Provider provider, String baseUri) {
    return WechatPayClient.builder()
        .mchid(TestKeys.TEST_MCHID)
        .merchantSerial(keys.merchantSerial)
        .privateKey(keys.merchant.getPrivate())
        .wechatpayPublicKey(TestKeys.TEST_PUBLIC_KEY_ID, keys.wechatPay.getPublic())
        .cryptoProvider(CryptoProvider.of(provider))
        .hosts(URI.create(baseUri))
        .build();
  }

  /** The call with the client's default HttpClient. */
  public static RoundTrip call(TestKeys keys, Provider provider, String baseUri, SpecFixtures.Operation op) {
    WechatPayClient client = client(keys, provider, baseUri);
    ObjectMapper mapper = client.apiClient().getObjectMapper();
    switch (op.operationId) {
      case "createDeliveryPlan": {
        DeliveryPlanApi api = client.deliveryPlanApi();
        CreateDeliveryPlanRequest body = model(mapper, op.requestExample, CreateDeliveryPlanRequest.class);
        return () -> Objects.requireNonNull(api.createDeliveryPlan(body), "answer");
      }
      case "addStockBundle": {
        ProductCouponApi api = client.productCouponApi();
        String productCouponId = op.pathParameters.get("product_coupon_id");
        AddStockBundleRequest body = model(mapper, op.requestExample, AddStockBundleRequest.class);
        return () -> Objects.requireNonNull(api.addStockBundle(productCouponId, body), "answer");
      }
      case "updateStockBudget": {
        ProductCouponApi api = client.productCouponApi();
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
