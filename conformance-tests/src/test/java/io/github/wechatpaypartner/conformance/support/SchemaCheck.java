package io.github.wechatpaypartner.conformance.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A second opinion next to Prism's: networknt json-schema-validator with the OpenAPI 3.0 dialect,
 * reading the schema straight out of the spec file by JSON pointer (so its {@code $ref}s resolve
 * against the same document).
 */
public final class SchemaCheck {
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
      builder -> builder.metaSchema(OpenApi30.getInstance())
          .defaultMetaSchemaIri(OpenApi30.getInstance().getIri()));
  private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
      .discriminatorKeywordEnabled(true)
      .nullableKeywordEnabled(true)
      .build();
  private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

  private SchemaCheck() {
  }

  /** The validator's messages for {@code instance} against the schema at {@code pointer}; empty = valid. */
  public static List<String> errors(Path spec, String pointer, JsonNode instance) {
    String location = spec.toUri() + "#" + pointer;
    JsonSchema schema = SCHEMAS.computeIfAbsent(location,
        l -> FACTORY.getSchema(SchemaLocation.of(l), CONFIG));
    Set<ValidationMessage> messages = schema.validate(instance);
    return messages.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.toList());
  }
}
