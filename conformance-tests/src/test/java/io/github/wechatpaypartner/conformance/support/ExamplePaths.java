package io.github.wechatpaypartner.conformance.support;

import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The path and query parameters the suite sends with each request: the spec's parameter examples
 * (addStockBundle's names a PROGRESSIVE_BUNDLE coupon, the others a SINGLE one, as a stateful
 * service needs).
 */
public final class ExamplePaths {
  private ExamplePaths() {
  }

  /** Name to value, in path order. */
  public static Map<String, String> of(SpecOperation op) {
    Map<String, String> values = new LinkedHashMap<>();
    op.parameters().stream().filter(p -> "path".equals(p.getIn()))
        .forEach(p -> values.put(p.getName(), op.pathParameterExample(p.getName())));
    return values;
  }

  /** The query parameters the suite sends: the spec's examples (each required one, and each optional one shown). */
  public static Map<String, String> query(SpecOperation op) {
    return op.parameterExamples("query");
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
