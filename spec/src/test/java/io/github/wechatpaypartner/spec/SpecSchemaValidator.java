package io.github.wechatpaypartner.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * networknt's JSON Schema validator loaded with a whole OpenAPI document (OpenAPI 3.0 dialect:
 * nullable, discriminator, formats asserted), so a schema is named by its JSON pointer in the
 * document and its $refs resolve inside it.
 */
final class SpecSchemaValidator {
  private static final String BASE = "https://wechatpay-partner.invalid/openapi.json";

  private final JsonNode document;
  private final JsonSchemaFactory factory;
  private final SchemaValidatorsConfig config;

  SpecSchemaValidator(JsonNode document) {
    this.document = document;
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

  /** The problems of {@code value} against the schema at {@code schemaPointer}, sorted; empty when valid. */
  Set<String> validate(String schemaPointer, JsonNode value) {
    if (document.at(schemaPointer).isMissingNode()) {
      throw new IllegalArgumentException("no schema at " + schemaPointer);
    }
    JsonSchema schema = factory.getSchema(SchemaLocation.of(BASE + "#" + schemaPointer), config);
    Set<ValidationMessage> messages = schema.validate(value);
    return messages.stream().map(ValidationMessage::getMessage).collect(Collectors.toCollection(TreeSet::new));
  }
}
