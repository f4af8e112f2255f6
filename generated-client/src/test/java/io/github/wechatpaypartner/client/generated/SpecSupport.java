package io.github.wechatpaypartner.client.generated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.client.SpecCatalog;
import io.github.wechatpaypartner.client.WechatPayApis;
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

  /** The generated sync method of an operation: on the API its {@code SpecCatalog.API_ACCESSORS} entry returns. */
  static Method apiMethod(String operationId) {
    String accessor = SpecCatalog.API_ACCESSORS.get(operationId);
    if (accessor == null) {
      throw new AssertionError("SpecCatalog has no API accessor for " + operationId);
    }
    try {
      Class<?> api = WechatPayApis.class.getMethod(accessor).getReturnType();
      int arity = SpecCatalog.PARAMETERS.get(operationId).size();
      for (Method m : api.getMethods()) {
        if (m.getName().equals(operationId) && m.getParameterCount() == arity) {
          return m;
        }
      }
      throw new AssertionError(api.getName() + " has no method " + operationId + " with " + arity + " parameters");
    } catch (NoSuchMethodException e) {
      throw new AssertionError("WechatPayApis has no " + accessor + "()", e);
    }
  }

  /** The body parameter type of an operation; null when it takes no body (a GET, a DELETE). */
  static Type requestType(String operationId) {
    List<String> params = SpecCatalog.PARAMETERS.get(operationId);
    for (int i = 0; i < params.size(); i++) {
      if (params.get(i).startsWith("body:")) {
        return apiMethod(operationId).getGenericParameterTypes()[i];
      }
    }
    return null;
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
