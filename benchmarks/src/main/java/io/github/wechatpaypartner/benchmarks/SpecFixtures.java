package io.github.wechatpaypartner.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.spec.SpecDocument;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark inputs, read from spec/openapi.yaml at setup (never copied): for each operation its
 * path, the path parameter values, the request example and the 200 response example.
 */
public final class SpecFixtures {

  /** The three operations, in the order of the results table. */
  public static final String[] OPERATIONS = {"createDeliveryPlan", "addStockBundle", "updateStockBudget"};

  private static final ObjectMapper JSON = new ObjectMapper();

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

  private SpecFixtures(SpecDocument document) {
    this.source = document.path();
    for (String operationId : OPERATIONS) {
      operations.put(operationId, read(document.operation(operationId)));
    }
  }

  /** Reads the spec named by -Dwechatpay.spec, else spec/openapi.yaml in this or a parent directory. */
  public static SpecFixtures load() {
    return new SpecFixtures(SpecDocument.load());
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

  /** The operation's first request example, its first 200 example, path parameters from their examples. */
  private static Operation read(SpecDocument.SpecOperation op) {
    JsonNode request = first(op.requestExamples(), op + " request");
    SpecDocument.SpecResponse ok = op.responses().get(200);
    JsonNode response = first(ok == null ? Map.of() : ok.examples, op + " response 200");
    Map<String, String> params = new LinkedHashMap<>();
    for (Parameter parameter : op.parameters()) {
      if ("path".equals(parameter.getIn())) {
        params.put(parameter.getName(), op.pathParameterExample(parameter.getName()));
      }
    }
    return new Operation(op.operationId, op.pathTemplate, op.examplePath(), params, request, response);
  }

  private static JsonNode first(Map<String, JsonNode> examples, String where) {
    if (examples.isEmpty()) {
      throw new IllegalStateException(where + ": no example in the spec");
    }
    return examples.values().iterator().next();
  }

  static byte[] toBytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
