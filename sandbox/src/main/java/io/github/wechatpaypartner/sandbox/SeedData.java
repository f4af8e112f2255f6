package io.github.wechatpaypartner.sandbox;

import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The product coupons, stocks and stock bundles that exist before the first call. By default they
 * come from the spec's examples; a file of the same shape replaces them:
 *
 * <pre>{@code
 * {"product_coupons": [{"product_coupon_id": "...", "usage_mode": "SINGLE", "brand_id": "..."}],
 *  "stocks":          [ a Stock or BundleStock object of the spec, with its product_coupon_id and stock_id ],
 *  "stock_bundles":   [{"stock_bundle_id": "...", "product_coupon_id": "...", "brand_id": "...", "stock_ids": ["..."]}]}
 * }</pre>
 *
 * From the spec: each {@code updateStockBudget} answer example is a stock of a SINGLE coupon, as it
 * was before that operation's request examples (each {@code current_X} of a request example is the
 * stock's {@code stock_send_rule.X}); each {@code addStockBundle} answer example is a bundle of a
 * PROGRESSIVE_BUNDLE coupon with its stocks; each coupon and stock a {@code createDeliveryPlan}
 * request example names exists too (a stock no answer example describes is a copy of the first
 * stock above under that id and brand).
 */
final class SeedData {
  static final String COUPONS = "product_coupons";
  static final String STOCKS = "stocks";
  static final String BUNDLES = "stock_bundles";

  private SeedData() {
  }

  static ObjectNode read(Path file) {
    try {
      JsonNode seed = WechatPayJson.newObjectMapper().readTree(file.toFile());
      if (seed == null || !seed.isObject()) {
        throw new IllegalArgumentException("seed file " + file + " is not a JSON object");
      }
      return (ObjectNode) seed;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the seed file " + file, e);
    }
  }

  static ObjectNode fromSpec(ServiceSpec spec) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode seed = f.objectNode();
    ArrayNode coupons = seed.putArray(COUPONS);
    ArrayNode stocks = seed.putArray(STOCKS);
    ArrayNode bundles = seed.putArray(BUNDLES);

    // A spec without one of the three (a scratch spec, another product's) seeds what it has.
    ServiceSpec.Operation update = find(spec, MarketingState.UPDATE_STOCK_BUDGET);
    ServiceSpec.Operation bundle = find(spec, MarketingState.ADD_STOCK_BUNDLE);
    ServiceSpec.Operation plan = find(spec, MarketingState.CREATE_DELIVERY_PLAN);
    for (JsonNode example : update == null ? List.<JsonNode>of() : update.responseExamples(200).values()) {
      ObjectNode stock = example.deepCopy();
      boolean examplePath = stock.path("product_coupon_id").asText()
          .equals(update.pathParameterExamples().get("product_coupon_id"))
          && stock.path("stock_id").asText().equals(update.pathParameterExamples().get("stock_id"));
      if (examplePath) {
        for (JsonNode request : update.requestExamples().values()) {
          rollBack(stock, request);
        }
      }
      addCoupon(coupons, stock.path("product_coupon_id").asText(), MarketingState.SINGLE, stock.path("brand_id").asText());
      stocks.add(stock);
    }
    for (JsonNode example : bundle == null ? List.<JsonNode>of() : bundle.responseExamples(200).values()) {
      ObjectNode bundleSeed = bundles.addObject();
      bundleSeed.put("stock_bundle_id", example.path("stock_bundle_id").asText());
      ArrayNode ids = f.arrayNode();
      for (JsonNode stock : example.path("stock_list")) {
        bundleSeed.put("product_coupon_id", stock.path("product_coupon_id").asText());
        bundleSeed.put("brand_id", stock.path("brand_id").asText());
        addCoupon(coupons, stock.path("product_coupon_id").asText(), MarketingState.PROGRESSIVE_BUNDLE,
            stock.path("brand_id").asText());
        stocks.add(stock.deepCopy());
        ids.add(stock.path("stock_id").asText());
      }
      bundleSeed.set("stock_ids", ids);
    }
    JsonNode template = stocks.size() > 0 ? stocks.get(0) : null;
    for (JsonNode request : plan == null ? List.<JsonNode>of() : plan.requestExamples().values()) {
      String couponId = request.path("product_coupon_id").asText();
      String stockId = request.path("stock_id").asText();
      String brand = request.path("brand_id").asText();
      addCoupon(coupons, couponId, request.path("usage_mode").asText(MarketingState.SINGLE), brand);
      if (template != null && find(stocks, couponId, stockId) == null) {
        ObjectNode stock = template.deepCopy();
        stock.put("product_coupon_id", couponId);
        stock.put("stock_id", stockId);
        stock.put("brand_id", brand);
        stocks.add(stock);
      }
    }
    return seed;
  }

  private static ServiceSpec.Operation find(ServiceSpec spec, String operationId) {
    return spec.operations().stream().filter(op -> op.id.equals(operationId)).findFirst().orElse(null);
  }

  /** Before a budget request: {@code stock_send_rule.X} = the request's {@code current_X}. */
  private static void rollBack(ObjectNode stock, JsonNode request) {
    for (Iterator<Map.Entry<String, JsonNode>> it = request.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().startsWith(MarketingState.CURRENT_PREFIX)) {
        stock.withObjectProperty("stock_send_rule").set(field.getKey().substring(MarketingState.CURRENT_PREFIX.length()),
            field.getValue());
      }
    }
  }

  private static void addCoupon(ArrayNode coupons, String id, String usageMode, String brand) {
    for (JsonNode c : coupons) {
      if (c.path("product_coupon_id").asText().equals(id)) {
        return;
      }
    }
    coupons.addObject().put("product_coupon_id", id).put("usage_mode", usageMode).put("brand_id", brand);
  }

  static JsonNode find(ArrayNode stocks, String couponId, String stockId) {
    for (JsonNode s : stocks) {
      if (s.path("product_coupon_id").asText().equals(couponId) && s.path("stock_id").asText().equals(stockId)) {
        return s;
      }
    }
    return null;
  }
}
