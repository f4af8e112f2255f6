package io.github.wechatpaypartner.spec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example in the document satisfies its schema (OpenAPI 3.0 dialect: nullable,
 * discriminator, formats asserted). The examples are read from the document, never copied.
 */
class ExamplesMatchSchemasTest {
  private static final String BASE = "https://wechatpay-partner.invalid/openapi.json";

  private final JsonNode document = SpecFiles.readTree(SpecFiles.source());
  private final SchemaValidator validator = new SchemaValidator(document);

  @TestFactory
  Stream<DynamicTest> everyExampleSatisfiesItsSchema() {
    List<SpecExamples.Example> examples = SpecExamples.all(document);
    return examples.stream().map(example -> DynamicTest.dynamicTest(example.location, () -> {
      Set<String> problems = validator.validate(example.schemaPointer, example.value);
      assertTrue(problems.isEmpty(), () -> "example " + example.location + " breaks its schema "
          + SpecExamples.describe(example.schemaPointer) + ":\n  " + String.join("\n  ", problems));
    }));
  }

  @Test
  void documentHasExamplesForEveryOperation() {
    List<SpecExamples.Example> examples = SpecExamples.all(document);
    document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
      String prefix = "paths." + path.getKey() + "." + op.getKey() + ".";
      assertTrue(examples.stream().anyMatch(e -> e.location.startsWith(prefix + "requestBody")),
          "no request example for " + prefix);
      assertTrue(examples.stream().anyMatch(e -> e.location.startsWith(prefix + "responses.200")),
          "no response example for " + prefix);
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

  /** networknt's validator loaded with the whole document, so $refs resolve inside it. */
  static final class SchemaValidator {
    private final JsonSchemaFactory factory;
    private final SchemaValidatorsConfig config;

    SchemaValidator(JsonNode document) {
      String json = document.toString();
      factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, builder -> builder
          .metaSchema(OpenApi30.getInstance())
          .defaultMetaSchemaIri(OpenApi30.getInstance().getIri())
          .schemaLoaders(loaders -> loaders.schemas(Map.of(BASE, json))));
      config = SchemaValidatorsConfig.builder()
          .formatAssertionsEnabled(true)
          .discriminatorKeywordEnabled(true)
          .build();
    }

    Set<String> validate(String schemaPointer, JsonNode value) {
      JsonSchema schema = factory.getSchema(SchemaLocation.of(BASE + "#" + schemaPointer), config);
      Set<ValidationMessage> messages = schema.validate(value);
      return messages.stream().map(ValidationMessage::getMessage).collect(Collectors.toCollection(java.util.TreeSet::new));
    }
  }
}
