package io.github.wechatpaypartner.conformance.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls any operation of the spec through a generated client, knowing nothing but the spec: the
 * method is found through the generated {@code SpecCatalog} ({@code API_ACCESSORS},
 * {@code PARAMETERS}), its path, query and body arguments read from JSON with the client's own
 * mapping. No list of operations: a new one in the spec is called like the others. Works on a
 * client of another class loader too (the growth drill generates and loads its own).
 */
public final class SpecCalls {
  private static final String CATALOG = "io.github.wechatpaypartner.client.SpecCatalog";
  private static final ObjectMapper PLAIN = new ObjectMapper();
  /** The calls through the client this module is built with. */
  public static final SpecCalls CLIENT = new SpecCalls(SpecCalls.class.getClassLoader());
  /** That client's JSON mapping (times written as the pages fix them). */
  public static final ObjectMapper MAPPER = CLIENT.mapper;

  private final Map<String, String> accessors;
  private final Map<String, List<String>> parameters;
  private final ObjectMapper mapper;

  /** The calls of the client whose generated classes {@code loader} loads. */
  @SuppressWarnings("unchecked")
  public SpecCalls(ClassLoader loader) {
    try {
      Class<?> catalog = Class.forName(CATALOG, true, loader);
      this.accessors = (Map<String, String>) catalog.getField("API_ACCESSORS").get(null);
      this.parameters = (Map<String, List<String>>) catalog.getField("PARAMETERS").get(null);
      this.mapper = WechatPayJson.newObjectMapper((Collection<Class<?>>) catalog.getField("ONE_OF_MODELS").get(null));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no generated " + CATALOG + " with API_ACCESSORS, PARAMETERS and ONE_OF_MODELS", e);
    }
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  // ------------------------------------------------------------------ the spec's example call

  /** The named request examples, or for an operation without body one call named {@code no body} (null). */
  public static Map<String, JsonNode> exampleBodies(SpecOperation op) {
    if (op.hasRequestBody()) {
      return op.requestExamples();
    }
    Map<String, JsonNode> none = new LinkedHashMap<>();
    none.put("no body", null);
    return none;
  }

  /** A copy of the operation's first request example; null when it takes no body. */
  public static ObjectNode firstExample(SpecOperation op) {
    JsonNode first = exampleBodies(op).values().iterator().next();
    return first == null ? null : first.deepCopy();
  }

  /** Calls {@code op} through the module's client with the spec's example path and query values. */
  public static Object call(Object client, SpecOperation op, JsonNode body) throws Exception {
    return CLIENT.call(client, op, ExamplePaths.of(op), ExamplePaths.query(op), body);
  }

  /** The same, its typed answer as a JSON tree (null for an answer without body). */
  public static JsonNode callForTree(Object client, SpecOperation op, JsonNode body) throws Exception {
    return CLIENT.tree(call(client, op, body));
  }

  /** The same with these path parameters. */
  public static JsonNode callForTree(Object client, SpecOperation op, Map<String, String> path, JsonNode body)
      throws Exception {
    return CLIENT.tree(CLIENT.call(client, op, path, ExamplePaths.query(op), body));
  }

  // ------------------------------------------------------------------ any call

  /** Reads the arguments, then calls; the generated method's exception is thrown as it is. */
  public Object call(Object client, SpecOperation op, Map<String, String> path, Map<String, String> query,
      JsonNode body) throws Exception {
    Method method = method(client, op.operationId);
    return invoke(client, method, arguments(method, op.operationId, path, query, body));
  }

  /** The generated method of {@code operationId} on the API its accessor returns. */
  public Method method(Object client, String operationId) {
    return method(client.getClass(), operationId);
  }

  /** The same, from the client's class. */
  public Method method(Class<?> clientType, String operationId) {
    String accessor = accessors.get(operationId);
    List<String> params = parameters.get(operationId);
    if (accessor == null || params == null) {
      throw new IllegalStateException("the generated client has no operation " + operationId
          + " (SpecCatalog knows " + accessors.keySet() + "): was it generated from this spec?");
    }
    try {
      Class<?> api = clientType.getMethod(accessor).getReturnType();
      for (Method m : api.getMethods()) {
        if (m.getName().equals(operationId) && m.getParameterCount() == params.size()) {
          return m;
        }
      }
      throw new IllegalStateException(api.getName() + " has no method " + operationId + params);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(clientType.getName() + " has no " + accessor + "()", e);
    }
  }

  /**
   * The method's arguments from the text of path and query values and the JSON body, with the
   * client's mapping; a value the generated type cannot hold fails here ({@link JsonProcessingException}
   * or {@link IllegalArgumentException}): a typed caller could not send it.
   */
  public Object[] arguments(Method method, String operationId, Map<String, String> path, Map<String, String> query,
      JsonNode body) throws JsonProcessingException {
    List<String> params = parameters.get(operationId);
    Object[] args = new Object[params.size()];
    for (int i = 0; i < args.length; i++) {
      String in = params.get(i).substring(0, params.get(i).indexOf(':'));
      String name = params.get(i).substring(in.length() + 1);
      JavaType type = mapper.getTypeFactory().constructType(method.getGenericParameterTypes()[i]);
      switch (in) {
        case "path":
        case "query": {
          String value = ("path".equals(in) ? path : query).get(name);
          args[i] = value == null ? null : mapper.convertValue(scalar(value, type.getRawClass()), type);
          break;
        }
        case "body":
          args[i] = body == null ? null : mapper.treeToValue(body, type);
          break;
        default:
          throw new IllegalStateException(operationId + ": parameters " + in + " are not supported (" + name + ")");
      }
    }
    return args;
  }

  /** Invokes on the API of {@code client}; what the generated method throws is rethrown unwrapped. */
  public Object invoke(Object client, Method method, Object[] args) throws Exception {
    try {
      Object api = client.getClass().getMethod(accessors.get(method.getName())).invoke(client);
      return method.invoke(api, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception) {
        throw (Exception) e.getCause();
      }
      throw (Error) e.getCause();
    }
  }

  /** The typed body of {@code operationId} read from JSON; null when it takes none. */
  public Object readBody(Object client, String operationId, JsonNode body) throws JsonProcessingException {
    return readBody(client.getClass(), operationId, body);
  }

  /** The same, from the client's class. */
  public Object readBody(Class<?> clientType, String operationId, JsonNode body) throws JsonProcessingException {
    Method method = method(clientType, operationId);
    List<String> params = parameters.get(operationId);
    for (int i = 0; i < params.size(); i++) {
      if (params.get(i).startsWith("body:")) {
        return mapper.treeToValue(body, mapper.getTypeFactory().constructType(method.getGenericParameterTypes()[i]));
      }
    }
    return null;
  }

  /** A typed answer as a plain JSON tree (null stays null: an answer without body). */
  public JsonNode tree(Object answer) throws IOException {
    return answer == null ? null : PLAIN.readTree(mapper.writeValueAsBytes(answer));
  }

  /** A URL value as the JSON scalar the Java type reads (text when it does not parse). */
  private static JsonNode scalar(String value, Class<?> type) {
    if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
      try {
        return DecimalNode.valueOf(new BigDecimal(value));
      } catch (NumberFormatException notANumber) {
        return TextNode.valueOf(value);
      }
    }
    if ((type == Boolean.class || type == boolean.class) && ("true".equals(value) || "false".equals(value))) {
      return BooleanNode.valueOf(Boolean.parseBoolean(value));
    }
    return TextNode.valueOf(value);
  }
}
