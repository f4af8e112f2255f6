package io.github.wechatpaypartner.client.generated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import io.github.wechatpaypartner.spec.SpecDocument;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.MediaType;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the spec the client was generated from (Swagger Parser) and maps it to the generated API. */
final class SpecSupport {
  static final String API_PACKAGE = "io.github.wechatpaypartner.client.api";
  static final ObjectMapper MAPPER = WechatPayJson.newObjectMapper(io.github.wechatpaypartner.client.SpecCatalog.ONE_OF_MODELS);

  private SpecSupport() {
  }

  static Path specPath() {
    return Paths.get(System.getProperty("wechatpay.spec", "../spec/openapi.yaml"));
  }

  static Path generatedDir() {
    return Paths.get(System.getProperty("generated.dir", "target/generated-sources/openapi"));
  }

  /** The parsed spec (Swagger Parser, refs resolved), shared with the other modules' tests. */
  static OpenAPI openApi() {
    return SpecDocument.load(specPath()).openApi();
  }

  /** operationId to operation, for the API paths (x-webhooks are not client operations). */
  static Map<String, Operation> operations() {
    Map<String, Operation> out = new LinkedHashMap<>();
    SpecDocument.load(specPath()).operations().forEach((id, op) -> out.put(id, op.operation));
    return out;
  }

  /** The generated sync method of an operation, found in whichever API class has it. */
  static Method apiMethod(String operationId) {
    for (Operation op : operations().values()) {
      if (op.getOperationId().equals(operationId)) {
        String tag = op.getTags().get(0);
        try {
          Class<?> api = Class.forName(API_PACKAGE + "." + tag + "Api");
          for (Method m : api.getMethods()) {
            if (m.getName().equals(operationId)) {
              return m;
            }
          }
        } catch (ClassNotFoundException e) {
          throw new AssertionError("no API class for tag " + tag, e);
        }
      }
    }
    throw new AssertionError("no generated method for " + operationId);
  }

  /** The body parameter type of an operation (its last parameter). */
  static Type requestType(String operationId) {
    Type[] params = apiMethod(operationId).getGenericParameterTypes();
    return params[params.length - 1];
  }

  static Type responseType(String operationId) {
    return apiMethod(operationId).getGenericReturnType();
  }

  /** One named example of a media type, its value as a JSON tree. */
  static final class NamedExample {
    final String name;
    final JsonNode value;

    NamedExample(String name, JsonNode value) {
      this.name = name;
      this.value = value;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Every example of a JSON media type: {@code example} and each of {@code examples} ($refs followed). */
  static List<NamedExample> examples(String where, MediaType media) {
    List<NamedExample> out = new ArrayList<>();
    if (media == null) {
      return out;
    }
    if (media.getExample() != null) {
      out.add(new NamedExample(where, MAPPER.valueToTree(media.getExample())));
    }
    if (media.getExamples() != null) {
      // Example $refs are resolved by SpecDocument (Swagger Parser, resolveFully).
      for (Map.Entry<String, Example> e : media.getExamples().entrySet()) {
        out.add(new NamedExample(where + " " + e.getKey(), MAPPER.valueToTree(e.getValue().getValue())));
      }
    }
    return out;
  }

  static MediaType json(io.swagger.v3.oas.models.media.Content content) {
    return content == null ? null : content.get("application/json");
  }

  static byte[] specBytes() throws java.io.IOException {
    return Files.readAllBytes(specPath());
  }
}
