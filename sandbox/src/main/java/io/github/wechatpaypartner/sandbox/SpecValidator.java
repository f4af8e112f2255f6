package io.github.wechatpaypartner.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.AbstractJsonValidator;
import com.networknt.schema.AbstractKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.JsonValidator;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationContext;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import io.github.wechatpaypartner.client.validation.Constraints;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Judges bodies and path parameters by the spec's JSON Schemas, in process: networknt
 * json-schema-validator with the OpenAPI 3.0 dialect (formats asserted, {@code discriminator} and
 * {@code nullable} on), plus the spec's {@code x-wechatpay-weighted-max-length}. The conformance
 * suite proves it refuses exactly what Prism refuses on every single-rule mutation of the request
 * examples, so the sandbox needs no Node process.
 */
final class SpecValidator {
  /** The document is served to the validator under this IRI, from memory. */
  private static final String DOCUMENT_IRI = "https://sandbox.wechatpay-partner.invalid/openapi.json";
  private static final String WEIGHTED_MAX_LENGTH = "x-wechatpay-weighted-max-length";

  private final ServiceSpec spec;
  private final JsonSchemaFactory factory;
  private final SchemaValidatorsConfig config;
  private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

  SpecValidator(ServiceSpec spec) {
    this.spec = spec;
    String document;
    try {
      document = new ObjectMapper().writeValueAsString(spec.tree());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    // The whole document is loaded to resolve $refs: its non-schema keys (openapi, paths...) are
    // not keywords, which is expected, so they are ignored without the default factory's warnings.
    JsonMetaSchema dialect = JsonMetaSchema.builder(OpenApi30.getInstance())
        .keyword(new WeightedMaxLength())
        .unknownKeywordFactory((keyword, context) -> new NonValidationKeyword(keyword))
        .build();
    this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, builder -> builder
        .metaSchema(dialect)
        .defaultMetaSchemaIri(dialect.getIri())
        .schemaLoaders(loaders -> loaders.schemas(Map.of(DOCUMENT_IRI, document))));
    this.config = SchemaValidatorsConfig.builder()
        .discriminatorKeywordEnabled(true)
        .nullableKeywordEnabled(true)
        .pathType(PathType.JSON_POINTER)
        .build();
  }

  /**
   * Compiles every operation's request and answer schemas and runs each on its examples, so the
   * first real request does not pay for it.
   */
  void prepare() {
    for (ServiceSpec.Operation op : spec.operations()) {
      op.requestExamples().values().forEach(example -> validate(op.requestSchemaPointer, example, "body"));
      for (Map.Entry<Integer, ServiceSpec.Response> r : op.responses.entrySet()) {
        r.getValue().examples.values().forEach(example ->
            validate(spec.responseSchemaPointer(op, r.getKey()), example, "body"));
      }
    }
  }

  /** What breaks the schema at {@code pointer}, most specific first; empty when {@code instance} is valid. */
  List<Violation> validate(String pointer, JsonNode instance, String location) {
    JsonNode node = spec.node(pointer);
    String property = node.path("discriminator").path("propertyName").asText(null);
    if (node.has("oneOf") && property != null && instance != null && instance.isObject()) {
      // A oneOf with a discriminator: judge the body by the branch it names, so the violation
      // named is that branch's (not "matches no branch"). Each branch refuses the others' own
      // fields and their discriminator values are distinct, so this is the oneOf's verdict.
      JsonNode value = instance.get(property);
      JsonNode branch = value == null ? null : node.path("discriminator").path("mapping").get(value.asText());
      if (branch == null || !branch.asText().startsWith("#")) {
        List<String> names = new ArrayList<>();
        node.path("discriminator").path("mapping").fieldNames().forEachRemaining(names::add);
        return List.of(new Violation("/" + ServiceSpec.escape(property), value,
            property + " must be one of " + names, location, "discriminator"));
      }
      return validate(branch.asText().substring(1), instance, location);
    }
    JsonSchema schema = schemas.computeIfAbsent(pointer,
        p -> factory.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + p), config));
    Set<ValidationMessage> messages = schema.validate(instance);
    List<Violation> violations = new ArrayList<>();
    for (ValidationMessage m : messages) {
      String field = m.getInstanceLocation().toString();
      if (field.isEmpty() || field.equals("/")) {
        field = "";
      }
      JsonNode value = m.getInstanceNode();
      if (m.getProperty() != null && ("required".equals(m.getType()) || "additionalProperties".equals(m.getType()))) {
        field = field + "/" + ServiceSpec.escape(m.getProperty());
        value = "required".equals(m.getType()) ? null : value.get(m.getProperty());
      }
      String forbidden = "not".equals(m.getType()) ? forbiddenFieldPresent(m, value) : null;
      if (forbidden != null) {
        field = field + "/" + ServiceSpec.escape(forbidden);
        value = value.get(forbidden);
      }
      violations.add(new Violation(field, value, m.getMessage(), location, m.getType()));
    }
    // The deepest field is the one to name; a oneOf verdict on the whole body comes last.
    violations.sort(Comparator.comparing((Violation v) -> "oneOf".equals(v.keyword))
        .thenComparing(v -> -v.field.split("/").length).thenComparing(v -> v.field));
    return violations;
  }

  /**
   * For a broken "must not carry" rule ({@code not: {anyOf: [{required: [a]}, ...]}}, as the
   * update-budget modes refuse the other mode's pair), the forbidden field the object carries, so
   * the detail names it like any other field; null for any other {@code not}.
   */
  private String forbiddenFieldPresent(ValidationMessage m, JsonNode object) {
    if (object == null || !object.isObject()) {
      return null;
    }
    for (JsonNode alternative : spec.node(m.getSchemaLocation().getFragment().toString()).path("anyOf")) {
      for (JsonNode name : alternative.path("required")) {
        if (object.has(name.asText())) {
          return name.asText();
        }
      }
    }
    return null;
  }

  /** One broken rule: the WeChat Pay error {@code detail} shape. */
  static final class Violation {
    /** JSON pointer of the field ({@code /stock_bundle/remark}), or the parameter's name. */
    final String field;
    /** The value in error; null when it is missing. */
    final JsonNode value;
    final String issue;
    /** body, path or header. */
    final String location;
    final String keyword;

    Violation(String field, JsonNode value, String issue, String location, String keyword) {
      this.field = field;
      this.value = value;
      this.issue = issue;
      this.location = location;
      this.keyword = keyword;
    }

    /** {@code {"field", "value", "issue", "location"}}. */
    ObjectNode detail() {
      return ServiceError.detail(field, value, issue, location);
    }

    @Override
    public String toString() {
      return location + " " + field + ": " + issue;
    }
  }

  /** {@code x-wechatpay-weighted-max-length}: a CJK or full-width character counts 2 (the client's own rule). */
  private static final class WeightedMaxLength extends AbstractKeyword {
    WeightedMaxLength() {
      super(WEIGHTED_MAX_LENGTH);
    }

    @Override
    public JsonValidator newValidator(SchemaLocation schemaLocation, JsonNodePath evaluationPath,
        JsonNode schemaNode, JsonSchema parentSchema, ValidationContext validationContext) {
      int max = schemaNode.asInt();
      return new AbstractJsonValidator(schemaLocation, evaluationPath, this, schemaNode) {
        @Override
        public Set<ValidationMessage> validate(com.networknt.schema.ExecutionContext context, JsonNode node,
            JsonNode rootNode, JsonNodePath instanceLocation) {
          if (!node.isTextual() || Constraints.weightedLength(node.asText()) <= max) {
            return Set.of();
          }
          return Set.of(ValidationMessage.builder()
              .type(WEIGHTED_MAX_LENGTH)
              .code(WEIGHTED_MAX_LENGTH)
              .instanceLocation(instanceLocation)
              .instanceNode(node)
              .schemaLocation(schemaLocation)
              .evaluationPath(evaluationPath)
              .message(instanceLocation + ": weighted length " + Constraints.weightedLength(node.asText())
                  + " (a CJK character counts 2) exceeds " + max)
              .build());
        }
      };
    }
  }
}
