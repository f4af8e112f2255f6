package io.github.wechatpaypartner.conformance.support;

import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.spec.SpecDocument.SpecResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The path parameters the suite sends with each request example: the spec's parameter examples,
 * except where a stateful service could not serve them. The shared {@code ProductCouponId}
 * parameter's example ({@code 1000000013}) is a SINGLE coupon (its stock is the update-budget answer
 * example), so {@code addStockBundle}, which needs a PROGRESSIVE_BUNDLE coupon, takes the
 * {@code product_coupon_id} of its own answer example instead. Prism accepts either.
 */
public final class ExamplePaths {
  private ExamplePaths() {
  }

  /** Name to value, in path order. */
  public static Map<String, String> of(SpecOperation op) {
    Map<String, String> values = new LinkedHashMap<>();
    op.parameters().stream().filter(p -> "path".equals(p.getIn()))
        .forEach(p -> values.put(p.getName(), op.pathParameterExample(p.getName())));
    SpecResponse success = op.responses().get(200);
    if (success != null && values.containsKey("product_coupon_id")) {
      success.examples.values().stream()
          .map(example -> example.path("stock_list").path(0).path("product_coupon_id"))
          .filter(id -> id.isTextual()).findFirst()
          .ifPresent(id -> values.put("product_coupon_id", id.asText()));
    }
    return values;
  }

  /** The operation's path with {@link #of} filled in. */
  public static String path(SpecOperation op) {
    String path = op.pathTemplate;
    for (Map.Entry<String, String> p : of(op).entrySet()) {
      path = path.replace("{" + p.getKey() + "}", p.getValue());
    }
    return path;
  }
}
