package io.github.wechatpaypartner.spec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example in the document satisfies its schema (SpecSchemaValidator). The examples are read
 * from the document, never copied.
 */
class ExamplesMatchSchemasTest {
  private final JsonNode document = SpecFiles.readTree(SpecFiles.source());
  private final SpecSchemaValidator validator = new SpecSchemaValidator(document);

  @TestFactory
  Stream<DynamicTest> everyExampleSatisfiesItsSchema() {
    List<SpecExamples.Example> examples = SpecExamples.all(document);
    return examples.stream().map(example -> DynamicTest.dynamicTest(example.location, () -> {
      Set<String> problems = validator.validate(example.schemaPointer, example.value);
      assertTrue(problems.isEmpty(), () -> "example " + example.location + " breaks its schema "
          + SpecExamples.describe(example.schemaPointer) + ":\n  " + String.join("\n  ", problems));
    }));
  }

  /**
   * Every operation has an example of each body it exchanges: its request body (a GET or DELETE
   * has none, and needs none) and each 2xx answer with content (a 204 has none).
   */
  @Test
  void documentHasExamplesForEveryOperation() {
    List<SpecExamples.Example> examples = SpecExamples.all(document);
    Set<String> methods = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
      if (!methods.contains(op.getKey())) {
        return; // parameters, summary... of the path item
      }
      String prefix = "paths." + path.getKey() + "." + op.getKey() + ".";
      if (op.getValue().has("requestBody")) {
        assertTrue(examples.stream().anyMatch(e -> e.location.startsWith(prefix + "requestBody")),
            "no request example for " + prefix + "requestBody");
      }
      op.getValue().path("responses").fields().forEachRemaining(r -> {
        String ref = r.getValue().path("$ref").asText("");
        JsonNode response = ref.isEmpty() ? r.getValue() : document.at(ref.substring(1));
        String where = ref.isEmpty() ? prefix + "responses." + r.getKey() : SpecExamples.describe(ref.substring(1));
        if (r.getKey().startsWith("2") && response.has("content")) {
          assertTrue(examples.stream().anyMatch(e -> e.location.startsWith(where)),
              "no response example for " + prefix + "responses." + r.getKey());
        }
      });
    }));
  }

  /** Guards the guard: a broken example must be caught, else the test above proves nothing. */
  @Test
  void aBrokenExampleIsCaught() {
    SpecExamples.Example example = SpecExamples.all(document).stream()
        .filter(e -> e.location.contains("requestBody")).findFirst().orElseThrow();
    JsonNode broken = example.value.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) broken).put("out_request_no", "x");
    assertFalse(validator.validate(example.schemaPointer, broken).isEmpty(),
        "an out_request_no of one character passed validation");
  }
}
