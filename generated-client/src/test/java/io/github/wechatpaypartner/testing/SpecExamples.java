package io.github.wechatpaypartner.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.io.UncheckedIOException;

/** Requests, answers and parameters of the client's tests, read from the spec's own examples. */
public final class SpecExamples {
  public static final ObjectMapper MAPPER = WechatPayJson.newObjectMapper(io.github.wechatpaypartner.client.SpecCatalog.ONE_OF_MODELS);

  private SpecExamples() {
  }

  public static SpecDocument spec() {
    return SpecDocument.load();
  }

  /** The operation's first request example as the generated request type. */
  public static <T> T request(String operationId, Class<T> type) {
    JsonNode example = spec().operation(operationId).requestExamples().values().iterator().next();
    try {
      return MAPPER.treeToValue(example, type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The operation's first example of {@code status} as JSON text. */
  public static String answer(String operationId, int status) {
    JsonNode example = spec().operation(operationId).responses().get(status).examples.values().iterator().next();
    return example.toString();
  }

  /** The spec's example value of a path parameter. */
  public static String pathParam(String operationId, String name) {
    return spec().operation(operationId).pathParameterExample(name);
  }
}
