package io.github.wechatpaypartner.client.generated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.wechatpaypartner.client.model.ErrorResponse;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every request and response example of every operation in the spec survives a trip through the
 * generated model: JSON -> model -> JSON gives the same tree (nothing lost, nothing added).
 * Error examples go through the spec's error model, ErrorResponse.
 */
class ExamplesRoundTripTest {

  @TestFactory
  List<DynamicTest> requestExamples() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, Operation> op : SpecSupport.operations().entrySet()) {
      if (op.getValue().getRequestBody() == null) {
        continue;
      }
      Type type = SpecSupport.requestType(op.getKey());
      for (SpecSupport.NamedExample ex : SpecSupport.examples(op.getKey() + " request",
          SpecSupport.json(op.getValue().getRequestBody().getContent()))) {
        tests.add(DynamicTest.dynamicTest(ex.name, () -> assertRoundTrip(ex.value, type)));
      }
    }
    return tests;
  }

  @TestFactory
  List<DynamicTest> responseExamples() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, Operation> op : SpecSupport.operations().entrySet()) {
      for (Map.Entry<String, ApiResponse> r : op.getValue().getResponses().entrySet()) {
        boolean success = r.getKey().startsWith("2");
        Type type = success ? SpecSupport.responseType(op.getKey()) : errorType();
        for (SpecSupport.NamedExample ex : SpecSupport.examples(op.getKey() + " " + r.getKey(),
            SpecSupport.json(r.getValue().getContent()))) {
          tests.add(DynamicTest.dynamicTest(ex.name, () -> assertRoundTrip(ex.value, type)));
        }
      }
    }
    return tests;
  }

  /** Guards the factories above against silently finding nothing (e.g. a broken $ref lookup). */
  @Test
  void everyOperationHasRequestAndResponseExamples() {
    for (Map.Entry<String, Operation> op : SpecSupport.operations().entrySet()) {
      if (op.getValue().getRequestBody() != null) {
        assertFalse(SpecSupport.examples("", SpecSupport.json(op.getValue().getRequestBody().getContent())).isEmpty(),
            op.getKey() + " has no request example");
      }
      int responses = 0;
      for (ApiResponse r : op.getValue().getResponses().values()) {
        responses += SpecSupport.examples("", SpecSupport.json(r.getContent())).size();
      }
      assertFalse(responses == 0, op.getKey() + " has no response example");
    }
  }

  private static Type errorType() {
    return ErrorResponse.class;
  }

  private static void assertRoundTrip(JsonNode example, Type type) throws Exception {
    JavaType javaType = SpecSupport.MAPPER.getTypeFactory().constructType(type);
    Object model = SpecSupport.MAPPER.readValue(SpecSupport.MAPPER.writeValueAsBytes(example), javaType);
    assertNotNull(model);
    JsonNode back = SpecSupport.MAPPER.readTree(SpecSupport.MAPPER.writeValueAsBytes(model));
    assertEquals(List.of(), JsonTrees.differences(example, back), "round trip through " + type.getTypeName());
  }
}
