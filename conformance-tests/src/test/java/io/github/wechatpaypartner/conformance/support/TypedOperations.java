package io.github.wechatpaypartner.conformance.support;


import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.model.AddStockBundleRequest;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest;
import io.github.wechatpaypartner.client.model.UpdateStockBudgetRequest;
import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import java.util.Map;
import java.util.TreeMap;

/**
 * How each spec operation is called through the generated client: the request example read into
 * the generated request model, path parameters from {@link ExamplePaths}. The key set is
 * what the typed-client tests cover; {@code CoverageGuardTest} fails when the spec gains an
 * operation missing here.
 */
public final class TypedOperations {
  /** The client's JSON mapping (times written as the pages fix them). */
  public static final ObjectMapper MAPPER = WechatPayJson.newObjectMapper(io.github.wechatpaypartner.client.SpecCatalog.ONE_OF_MODELS);
  /** Sends one already-typed request with these path parameters; returns the typed answer. */
  @FunctionalInterface
  interface Call<T> {
    Object call(WechatPayClient client, Map<String, String> path, T request) throws Exception;
  }

  /** One operation: its generated request model and the generated API method. */
  public static final class Typed<T> {
    public final Class<T> requestType;
    private final Call<T> call;

    Typed(Class<T> requestType, Call<T> call) {
      this.requestType = requestType;
      this.call = call;
    }

    /** The JSON body as the generated model, read with the client's own JSON mapping. */
    public T read(JsonNode body) throws JsonProcessingException {
      return MAPPER.treeToValue(body, requestType);
    }

    /** Sends with the path parameters of {@link ExamplePaths}. */
    public Object send(WechatPayClient client, SpecOperation operation, Object request) throws Exception {
      return call.call(client, ExamplePaths.of(operation), requestType.cast(request));
    }

    /** read, then send. */
    public Object call(WechatPayClient client, SpecOperation operation, JsonNode body) throws Exception {
      return send(client, operation, read(body));
    }

    /** read, then send with these path parameters. */
    public Object call(WechatPayClient client, Map<String, String> path, JsonNode body) throws Exception {
      return call.call(client, path, read(body));
    }
  }

  private static final Map<String, Typed<?>> OPERATIONS = new TreeMap<>(Map.of(
      "createDeliveryPlan", new Typed<>(CreateDeliveryPlanRequest.class,
          (client, path, request) -> client.deliveryPlanApi().createDeliveryPlan(request)),
      "addStockBundle", new Typed<>(AddStockBundleRequest.class,
          (client, path, request) -> client.productCouponApi()
              .addStockBundle(path.get("product_coupon_id"), request)),
      "updateStockBudget", new Typed<>(UpdateStockBudgetRequest.class,
          (client, path, request) -> client.productCouponApi().updateStockBudget(
              path.get("product_coupon_id"), path.get("stock_id"), request))));

  private TypedOperations() {
  }

  /** A copy of the operation's first request example. */
  public static ObjectNode firstExample(SpecOperation op) {
    return op.requestExamples().values().iterator().next().deepCopy();
  }

  /** Calls {@code op} through the generated client with {@link ExamplePaths}; the typed answer as a JSON tree. */
  public static JsonNode callForTree(WechatPayClient client, SpecOperation op, JsonNode body) throws Exception {
    return callForTree(client, op, ExamplePaths.of(op), body);
  }

  /** The same with these path parameters. */
  public static JsonNode callForTree(WechatPayClient client, SpecOperation op, Map<String, String> path, JsonNode body)
      throws Exception {
    Object answer = of(op.operationId).call(client, path, body);
    return new ObjectMapper().readTree(MAPPER.writeValueAsBytes(answer));
  }

  /** By operationId. */
  public static Map<String, Typed<?>> operations() {
    return OPERATIONS;
  }

  public static Typed<?> of(String operationId) {
    Typed<?> typed = OPERATIONS.get(operationId);
    if (typed == null) {
      throw new IllegalStateException("No typed call for operation " + operationId
          + ": add it to TypedOperations");
    }
    return typed;
  }
}
