package io.github.wechatpaypartner.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The spec as the tests read it: every operation with its path, request examples, request schema
 * and declared responses (status, named examples). Read with Swagger Parser (refs fully resolved)
 * for the data, and as a plain YAML tree for JSON pointers that a JSON Schema validator follows.
 * Tests take all their data from here, never from copies.
 *
 * <p>Shared by every module's tests (and the benchmarks) through this module's test-jar
 * ({@code wechatpay-partner-spec}, {@code <type>test-jar</type>}), which carries only this class.
 */
public final class SpecDocument {
  private static final Map<Path, SpecDocument> CACHE = new ConcurrentHashMap<>();
  public static final String JSON = "application/json";

  private final Path path;
  private final OpenAPI openApi;
  private final JsonNode raw;
  private final Map<String, SpecOperation> operations;

  private SpecDocument(Path path) {
    this.path = path;
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readLocation(path.toUri().toString(), null, options);
    if (result.getOpenAPI() == null) {
      throw new IllegalStateException("Swagger Parser cannot read " + path + ": " + result.getMessages());
    }
    this.openApi = result.getOpenAPI();
    try {
      this.raw = new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, SpecOperation> ops = new TreeMap<>();
    for (Map.Entry<String, PathItem> entry : openApi.getPaths().entrySet()) {
      for (Map.Entry<PathItem.HttpMethod, Operation> op : entry.getValue().readOperationsMap().entrySet()) {
        SpecOperation operation = new SpecOperation(entry.getKey(), op.getKey().name(), entry.getValue(),
            op.getValue());
        if (ops.put(operation.operationId, operation) != null) {
          throw new IllegalStateException("Duplicate operationId " + operation.operationId);
        }
      }
    }
    this.operations = Collections.unmodifiableMap(ops);
  }

  /**
   * The spec named by {@code -Dwechatpay.spec}, else {@code spec/openapi.yaml} in the working
   * directory or the nearest parent that has one (a module directory's sibling).
   */
  public static SpecDocument load() {
    String configured = System.getProperty("wechatpay.spec");
    if (configured != null && !configured.isBlank()) {
      Path path = Paths.get(configured).toAbsolutePath();
      if (!Files.isRegularFile(path)) {
        throw new IllegalStateException("-Dwechatpay.spec=" + configured + ": no such file");
      }
      return load(path);
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("spec").resolve("openapi.yaml");
      if (Files.isRegularFile(candidate)) {
        return load(candidate);
      }
    }
    throw new IllegalStateException("spec/openapi.yaml not found from " + Paths.get("").toAbsolutePath()
        + "; run from the repository or pass -Dwechatpay.spec=/path/to/openapi.yaml");
  }

  public static SpecDocument load(Path path) {
    return CACHE.computeIfAbsent(path.toAbsolutePath().normalize(), SpecDocument::new);
  }

  public Path path() {
    return path;
  }

  public OpenAPI openApi() {
    return openApi;
  }

  /** The document as a plain tree (refs not resolved; extensions such as x-webhooks included). */
  public JsonNode tree() {
    return raw;
  }

  /** By operationId, sorted. */
  public Map<String, SpecOperation> operations() {
    return operations;
  }

  public SpecOperation operation(String operationId) {
    SpecOperation op = operations.get(operationId);
    if (op == null) {
      throw new IllegalArgumentException("The spec has no operation " + operationId);
    }
    return op;
  }

  /** JSON pointer escaping of one token. */
  public static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  /** Follows a local {@code $ref} in the raw tree: returns the pointer of the object it names. */
  private String deref(String pointer) {
    JsonNode node = raw.at(pointer);
    int hops = 0;
    while (node.has("$ref")) {
      String ref = node.get("$ref").asText();
      if (!ref.startsWith("#")) {
        throw new IllegalStateException("External $ref not supported here: " + ref + " at " + pointer);
      }
      pointer = ref.substring(1);
      node = raw.at(pointer);
      if (++hops > 20) {
        throw new IllegalStateException("$ref loop at " + pointer);
      }
    }
    if (node.isMissingNode()) {
      throw new IllegalStateException("Nothing at " + pointer + " in " + path);
    }
    return pointer;
  }

  private static Map<String, JsonNode> examples(MediaType media) {
    Map<String, JsonNode> examples = new LinkedHashMap<>();
    if (media == null) {
      return examples;
    }
    if (media.getExamples() != null) {
      for (Map.Entry<String, Example> e : media.getExamples().entrySet()) {
        examples.put(e.getKey(), Json.mapper().valueToTree(e.getValue().getValue()));
      }
    }
    if (media.getExample() != null) {
      examples.put("example", Json.mapper().valueToTree(media.getExample()));
    }
    return examples;
  }

  /** One operation of the spec. */
  public final class SpecOperation {
    public final String operationId;
    /** Upper case. */
    public final String method;
    public final String pathTemplate;
    public final Operation operation;
    private final List<Parameter> parameters = new ArrayList<>();
    private final Map<String, JsonNode> requestExamples;
    private final Map<Integer, SpecResponse> responses = new TreeMap<>();

    SpecOperation(String pathTemplate, String method, PathItem item, Operation operation) {
      this.pathTemplate = pathTemplate;
      this.method = method.toUpperCase(Locale.ROOT);
      this.operation = operation;
      this.operationId = operation.getOperationId();
      if (operationId == null) {
        throw new IllegalStateException(method + " " + pathTemplate + " has no operationId");
      }
      if (item.getParameters() != null) {
        parameters.addAll(item.getParameters());
      }
      if (operation.getParameters() != null) {
        parameters.addAll(operation.getParameters());
      }
      MediaType media = operation.getRequestBody() == null || operation.getRequestBody().getContent() == null
          ? null : operation.getRequestBody().getContent().get(JSON);
      this.requestExamples = Collections.unmodifiableMap(examples(media));
      if (operation.getResponses() != null) {
        for (Map.Entry<String, ApiResponse> r : operation.getResponses().entrySet()) {
          if (!r.getKey().matches("\\d{3}")) {
            continue; // "default" and ranges are not selectable with Prefer: code=
          }
          int status = Integer.parseInt(r.getKey());
          MediaType rm = r.getValue().getContent() == null ? null : r.getValue().getContent().get(JSON);
          responses.put(status, new SpecResponse(this, status, examples(rm),
              rm == null ? null : rm.getSchema()));
        }
      }
    }

    /** Named request examples (an unnamed {@code example} is named "example"). */
    public Map<String, JsonNode> requestExamples() {
      return requestExamples;
    }

    /** The fully resolved request body schema (application/json), or null. */
    public Schema<?> requestSchema() {
      if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
        return null;
      }
      MediaType media = operation.getRequestBody().getContent().get(JSON);
      return media == null ? null : media.getSchema();
    }

    /** Declared request content types. */
    public List<String> requestContentTypes() {
      if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
        return List.of();
      }
      return new ArrayList<>(operation.getRequestBody().getContent().keySet());
    }

    /** JSON pointer (into the file) of the request body schema, for a JSON Schema validator. */
    public String requestSchemaPointer() {
      String op = "/paths/" + escape(pathTemplate) + "/" + method.toLowerCase(Locale.ROOT);
      String body = deref(op + "/requestBody");
      return deref(body + "/content/" + escape(JSON) + "/schema");
    }

    /** Declared responses with a numeric status, by status. */
    public Map<Integer, SpecResponse> responses() {
      return Collections.unmodifiableMap(responses);
    }

    public List<Parameter> parameters() {
      return Collections.unmodifiableList(parameters);
    }

    /** The path with each path parameter replaced by the value the spec gives as its example. */
    public String examplePath() {
      String p = pathTemplate;
      for (Parameter parameter : parameters) {
        if ("path".equals(parameter.getIn())) {
          p = p.replace("{" + parameter.getName() + "}", exampleValue(parameter));
        }
      }
      return p;
    }

    /** The spec's example value of path parameter {@code name}. */
    public String pathParameterExample(String name) {
      for (Parameter parameter : parameters) {
        if ("path".equals(parameter.getIn()) && name.equals(parameter.getName())) {
          return exampleValue(parameter);
        }
      }
      throw new IllegalArgumentException(operationId + " has no path parameter " + name);
    }

    /**
     * The example value of each parameter sent {@code in} {@code path} or {@code query}, in the
     * spec's order: every required one (a missing example fails, naming it) and each optional one
     * that has an example (the suite sends what the spec shows).
     */
    public Map<String, String> parameterExamples(String in) {
      Map<String, String> values = new LinkedHashMap<>();
      for (Parameter parameter : parameters) {
        if (!in.equals(parameter.getIn())) {
          continue;
        }
        boolean required = Boolean.TRUE.equals(parameter.getRequired());
        boolean hasExample = parameter.getExample() != null
            || (parameter.getExamples() != null && !parameter.getExamples().isEmpty())
            || (parameter.getSchema() != null && parameter.getSchema().getExample() != null);
        if (required || hasExample) {
          values.put(parameter.getName(), exampleValue(parameter));
        }
      }
      return values;
    }

    /** Whether the operation takes a request body (a GET or DELETE of the APIv3 does not). */
    public boolean hasRequestBody() {
      return operation.getRequestBody() != null;
    }

    /** Header parameters the spec declares required, with their example values. */
    public Map<String, String> requiredHeaderExamples() {
      Map<String, String> headers = new LinkedHashMap<>();
      for (Parameter parameter : parameters) {
        if ("header".equals(parameter.getIn()) && Boolean.TRUE.equals(parameter.getRequired())) {
          headers.put(parameter.getName(), exampleValue(parameter));
        }
      }
      return headers;
    }

    private String exampleValue(Parameter parameter) {
      Object value = parameter.getExample();
      if (value == null && parameter.getExamples() != null && !parameter.getExamples().isEmpty()) {
        value = parameter.getExamples().values().iterator().next().getValue();
      }
      if (value == null && parameter.getSchema() != null) {
        value = parameter.getSchema().getExample();
      }
      if (value == null) {
        throw new IllegalStateException("The spec gives no example for parameter '" + parameter.getName()
            + "' of " + operationId + ": the conformance tests need one to build a request");
      }
      return value.toString();
    }

    @Override
    public String toString() {
      return operationId + " (" + method + " " + pathTemplate + ")";
    }
  }

  /** One declared response. */
  public static final class SpecResponse {
    public final SpecOperation operation;
    public final int status;
    /** Named examples (unnamed {@code example} named "example"). */
    public final Map<String, JsonNode> examples;
    public final Schema<?> schema;

    SpecResponse(SpecOperation operation, int status, Map<String, JsonNode> examples, Schema<?> schema) {
      this.operation = operation;
      this.status = status;
      this.examples = Collections.unmodifiableMap(examples);
      this.schema = schema;
    }
  }
}
