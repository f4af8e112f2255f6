package io.github.wechatpaypartner.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark inputs, read from spec/openapi.yaml at setup (never copied): for each operation its
 * path, the path parameter values, the request example and the 200 response example.
 */
public final class SpecFixtures {

  /** The three operations, in the order of the results table. */
  public static final String[] OPERATIONS = {"createDeliveryPlan", "addStockBundle", "updateStockBudget"};

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}/]+)}");

  /** One operation's fixture. */
  public static final class Operation {
    public final String operationId;
    public final String pathTemplate;
    /** Path with parameters filled in from the spec's examples. */
    public final String path;
    public final Map<String, String> pathParameters;
    public final JsonNode requestExample;
    public final JsonNode responseExample;

    Operation(String operationId, String pathTemplate, String path, Map<String, String> pathParameters,
        JsonNode requestExample, JsonNode responseExample) {
      this.operationId = operationId;
      this.pathTemplate = pathTemplate;
      this.path = path;
      this.pathParameters = pathParameters;
      this.requestExample = requestExample;
      this.responseExample = responseExample;
    }

    /** The request example as compact JSON bytes (what a client would send). */
    public byte[] requestBytes() {
      return toBytes(requestExample);
    }

    /** The 200 example as compact JSON bytes (what the loopback server answers). */
    public byte[] responseBytes() {
      return toBytes(responseExample);
    }
  }

  private final Path source;
  private final Map<String, Operation> operations = new LinkedHashMap<>();

  private SpecFixtures(Path source, JsonNode document) {
    this.source = source;
    for (String operationId : OPERATIONS) {
      operations.put(operationId, read(document, operationId));
    }
  }

  /** Reads the spec named by -Dwechatpay.spec, else spec/openapi.yaml in this or a parent directory. */
  public static SpecFixtures load() {
    Path spec = locate();
    try {
      return new SpecFixtures(spec, new YAMLMapper().readTree(spec.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the spec " + spec, e);
    }
  }

  public Path source() {
    return source;
  }

  public Operation operation(String operationId) {
    Operation operation = operations.get(operationId);
    if (operation == null) {
      throw new IllegalArgumentException("unknown operationId " + operationId);
    }
    return operation;
  }

  /** The operation whose request/answer pair stands for "a typical request" (floor and hooks). */
  public Operation typical() {
    return operation(OPERATIONS[0]);
  }

  private static Path locate() {
    String configured = System.getProperty("wechatpay.spec");
    if (configured != null && !configured.isEmpty()) {
      Path path = Paths.get(configured).toAbsolutePath();
      if (!Files.isRegularFile(path)) {
        throw new IllegalStateException("-Dwechatpay.spec=" + configured + ": no such file");
      }
      return path;
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("spec").resolve("openapi.yaml");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("spec/openapi.yaml not found from " + Paths.get("").toAbsolutePath()
        + "; run from the repository or pass -Dwechatpay.spec=/path/to/openapi.yaml");
  }

  private static Operation read(JsonNode document, String operationId) {
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> pathItem = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> methods = pathItem.getValue().fields(); methods.hasNext(); ) {
        Map.Entry<String, JsonNode> method = methods.next();
        if (!operationId.equals(method.getValue().path("operationId").asText(null))) {
          continue;
        }
        JsonNode op = method.getValue();
        String where = "operation " + operationId;
        JsonNode request = example(document,
            resolve(document, op.path("requestBody")).path("content").path("application/json"),
            where + " requestBody application/json");
        JsonNode response = example(document,
            resolve(document, op.path("responses").path("200")).path("content").path("application/json"),
            where + " response 200 application/json");
        Map<String, String> params = new LinkedHashMap<>();
        String template = pathItem.getKey();
        Matcher m = PATH_PARAM.matcher(template);
        StringBuilder path = new StringBuilder();
        int last = 0;
        while (m.find()) {
          String name = m.group(1);
          String value = pathParameterExample(document, pathItem.getValue(), op, name, request, response);
          params.put(name, value);
          path.append(template, last, m.start()).append(value);
          last = m.end();
        }
        path.append(template.substring(last));
        return new Operation(operationId, template, path.toString(), params, request, response);
      }
    }
    throw new IllegalStateException("the spec has no operation " + operationId);
  }

  /** A media type's {@code example}, else its first {@code examples} entry (following $ref). */
  private static JsonNode example(JsonNode document, JsonNode mediaType, String where) {
    if (mediaType.has("example")) {
      return mediaType.get("example");
    }
    Iterator<JsonNode> named = mediaType.path("examples").elements();
    if (named.hasNext()) {
      JsonNode example = resolve(document, named.next());
      if (example.has("value")) {
        return example.get("value");
      }
    }
    JsonNode schema = resolve(document, mediaType.path("schema"));
    if (schema.has("example")) {
      return schema.get("example");
    }
    throw new IllegalStateException(where + ": no example in the spec");
  }

  /**
   * A path parameter's example: the parameter's own example, else its schema's, else the field of
   * the same name in the operation's request or response example.
   */
  private static String pathParameterExample(JsonNode document, JsonNode pathItem, JsonNode op, String name,
      JsonNode request, JsonNode response) {
    for (JsonNode list : new JsonNode[] {op.path("parameters"), pathItem.path("parameters")}) {
      for (JsonNode p : list) {
        JsonNode param = resolve(document, p);
        if (!name.equals(param.path("name").asText()) || !"path".equals(param.path("in").asText())) {
          continue;
        }
        if (param.has("example")) {
          return param.get("example").asText();
        }
        Iterator<JsonNode> named = param.path("examples").elements();
        if (named.hasNext()) {
          JsonNode example = resolve(document, named.next());
          if (example.has("value")) {
            return example.get("value").asText();
          }
        }
        JsonNode schema = resolve(document, param.path("schema"));
        if (schema.has("example")) {
          return schema.get("example").asText();
        }
      }
    }
    for (JsonNode example : new JsonNode[] {request, response}) {
      JsonNode found = example.findValue(name);
      if (found != null && found.isValueNode()) {
        return found.asText();
      }
    }
    throw new IllegalStateException("path parameter " + name + " of " + op.path("operationId").asText()
        + ": no example in the spec");
  }

  private static JsonNode resolve(JsonNode document, JsonNode node) {
    JsonNode current = node;
    for (int depth = 0; current.has("$ref") && depth < 10; depth++) {
      String ref = current.get("$ref").asText();
      if (!ref.startsWith("#/")) {
        throw new IllegalStateException("only local references are supported: " + ref);
      }
      current = document.at(ref.substring(1));
      if (current.isMissingNode()) {
        throw new IllegalStateException("unresolvable reference " + ref);
      }
    }
    return current;
  }

  static byte[] toBytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
