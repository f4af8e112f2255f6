package io.github.wechatpaypartner.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.api.DeliveryPlanApi;
import io.github.wechatpaypartner.client.api.ProductCouponApi;
import io.github.wechatpaypartner.client.model.AddStockBundleRequest;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest;
import io.github.wechatpaypartner.client.model.UpdateStockBudgetRequest;
import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import io.github.wechatpaypartner.signing.CryptoProvider;
import java.io.IOException;
import java.net.URI;
import java.security.Provider;
import java.util.Map;
import java.util.Objects;

/**
 * Our client as a user builds it ({@link WechatPayClient#builder()}, default settings: retries,
 * timeouts, response verification), aimed at the loopback server. The only class of the benchmarks
 * that names our client's entry point: moving to a new entry point changes this file alone (the
 * baseline's is {@link BeforeClient}, built by {@code run.sh before}).
 *
 * <p>The request model is read once from the spec's example; each call validates and serializes
 * it, signs, sends, verifies the answer and deserializes it into the response model.
 */
public final class OurClient {
  private OurClient() {
  }

  /** With keys in memory and an explicit provider (the in-JVM measurements). */
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

  /**
   * As a new user starts (cold start, memory): the key files of {@link KeyFiles}, the default
   * provider (ACCP when it is on the classpath, else the JDK's).
   */
  public static WechatPayClient client(KeyFiles files, String baseUri) throws IOException {
    return WechatPayClient.builder()
        .mchid(TestKeys.TEST_MCHID)
        .merchantSerial(files.merchantSerial())
        .privateKey(files.privateKey())
        .wechatpayPublicKey(TestKeys.TEST_PUBLIC_KEY_ID, files.wechatpayPublicKey())
        .hosts(URI.create(baseUri))
        .build();
  }

  /** The call with the client's default HttpClient and the given provider. */
  public static RoundTrip call(TestKeys keys, Provider provider, String baseUri, SpecFixtures.Operation op)
      throws IOException {
    return call(client(keys, provider, baseUri), op.operationId, op.pathParameters, op.requestBytes());
  }

  /**
   * One operation's call through {@code client}, its request model read from {@code requestJson}
   * with the client's own JSON settings (as a user reading a model from JSON would).
   */
  public static RoundTrip call(WechatPayClient client, String operationId, Map<String, String> pathParameters,
      byte[] requestJson) throws IOException {
    ObjectMapper mapper = WechatPayJson.newObjectMapper(io.github.wechatpaypartner.client.SpecCatalog.ONE_OF_MODELS);
    switch (operationId) {
      case "createDeliveryPlan": {
        DeliveryPlanApi api = client.deliveryPlanApi();
        CreateDeliveryPlanRequest body = mapper.readValue(requestJson, CreateDeliveryPlanRequest.class);
        return () -> Objects.requireNonNull(api.createDeliveryPlan(body), "answer");
      }
      case "addStockBundle": {
        ProductCouponApi api = client.productCouponApi();
        String productCouponId = pathParameters.get("product_coupon_id");
        AddStockBundleRequest body = mapper.readValue(requestJson, AddStockBundleRequest.class);
        return () -> Objects.requireNonNull(api.addStockBundle(productCouponId, body), "answer");
      }
      case "updateStockBudget": {
        ProductCouponApi api = client.productCouponApi();
        String productCouponId = pathParameters.get("product_coupon_id");
        String stockId = pathParameters.get("stock_id");
        UpdateStockBudgetRequest body = mapper.readValue(requestJson, UpdateStockBudgetRequest.class);
        return () -> Objects.requireNonNull(api.updateStockBudget(productCouponId, stockId, body), "answer");
      }
      default:
        throw new IllegalArgumentException("no client call for " + operationId);
    }
  }

  /** Our side of {@link ColdStartChild}. */
  static final class ColdStart implements ColdStartChild.Subject {
    private WechatPayClient client;

    @Override
    public void build(KeyFiles files, String baseUri) throws IOException {
      client = client(files, baseUri);
    }

    /** The request built in code ({@link InCodeModel}), as a user builds it. */
    @Override
    public RoundTrip prepare(KeyFiles files) throws Exception {
      String operationId = files.operationId();
      if (!operationId.equals("createDeliveryPlan")) {
        throw new IllegalArgumentException("cold start measures createDeliveryPlan, not " + operationId);
      }
      DeliveryPlanApi api = client.deliveryPlanApi();
      CreateDeliveryPlanRequest body = InCodeModel.fill(CreateDeliveryPlanRequest.class,
          new String(files.requestJson(), java.nio.charset.StandardCharsets.UTF_8));
      return () -> Objects.requireNonNull(api.createDeliveryPlan(body), "answer");
    }
  }
}
