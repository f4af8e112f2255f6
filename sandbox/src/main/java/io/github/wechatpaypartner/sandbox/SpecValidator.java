package io.github.wechatpaypartner.sandbox;

import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.AbstractJsonValidator;
import com.networknt.schema.AbstractKeyword;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Format;
import com.networknt.schema.FormatValidator;
import com.networknt.schema.MessageSourceValidationMessage;
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
import io.github.wechatpaypartner.client.validation.EcmaPattern;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Judges bodies and path parameters by the spec's JSON Schemas, in process: networknt
 * json-schema-validator with the OpenAPI 3.0 dialect (formats asserted, {@code discriminator} and
 * {@code nullable} on), plus the spec's {@code x-wechatpay-weighted-max-length}, patterns with their
 * ECMA-262 meaning ({@link EcmaPattern}, the client's own) and the ranges of the {@code int32} and
 * {@code int64} formats. The conformance suite proves it refuses exactly what Prism refuses on
 * every single-rule mutation of the request examples and on generated values of every constrained
 * field, so the sandbox needs no Node process.
 *
 * <p>Why not the library's own ECMAScript option: its Joni engine (measured with 1.5.9 and joni
 * 2.2.6) still lets {@code ^[0-9]+$} match {@code "123\n"}, and its GraalJS engine would add some
 * 50 MB to a jar other teams run with {@code java -jar}.
 *
 * <p>Public so that other checks can ask it what the sandbox would refuse ({@link #requestBody}):
 * the conformance suite compares it with the client and Prism value by value.
 */
public final class SpecValidator {
  /** The document is served to the validator under this IRI, from memory. */
  private static final String DOCUMENT_IRI = "https://sandbox.wechatpay-partner.invalid/openapi.json";
  private static final String WEIGHTED_MAX_LENGTH = "x-wechatpay-weighted-max-length";

  private final ServiceSpec spec;
  private final JsonSchemaFactory factory;
  private final SchemaValidatorsConfig config;
  private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

  public SpecValidator(ServiceSpec spec) {
    this.spec = spec;
    String document;
    try {
      document = WechatPayJson.newObjectMapper().writeValueAsString(spec.tree());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    // The whole document is loaded to resolve $refs: its non-schema keys (openapi, paths...) are
    // not keywords, which is expected, so they are ignored without the default factory's warnings.
    JsonMetaSchema dialect = JsonMetaSchema.builder(OpenApi30.getInstance())
        .keyword(new WeightedMaxLength())
        .format(new IntegerRange("int32", BigDecimal.valueOf(Integer.MIN_VALUE), BigDecimal.valueOf(Integer.MAX_VALUE)))
        .format(new IntegerRange("int64", BigDecimal.valueOf(Long.MIN_VALUE), BigDecimal.valueOf(Long.MAX_VALUE)))
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
        .regularExpressionFactory(regex -> {
          java.util.regex.Pattern pattern = EcmaPattern.compile(regex);
          return value -> pattern.matcher(value).find();
        })
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

  /** What the sandbox refuses in a request body of {@code operationId}, most specific first; empty when none. */
  public List<Violation> requestBody(String operationId, JsonNode body) {
    return validate(spec.operation(operationId).requestSchemaPointer, body, "body");
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
  public static final class Violation {
    /** JSON pointer of the field ({@code /stock_bundle/remark}), or the parameter's name. */
    public final String field;
    /** The value in error; null when it is missing. */
    public final JsonNode value;
    public final String issue;
    /** body, path or header. */
    public final String location;
    /** The JSON Schema keyword broken ({@code pattern}, {@code format}, {@code maxLength}...). */
    public final String keyword;

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

  /**
   * {@code format: int32/int64} on a number: the value must fit the type (the library checks no
   * integer format). Big values arrive exact: Jackson reads them as BigInteger, never as a double.
   */
  private static final class IntegerRange implements Format {
    private final String name;
    private final BigDecimal min;
    private final BigDecimal max;

    IntegerRange(String name, BigDecimal min, BigDecimal max) {
      this.name = name;
      this.min = min;
      this.max = max;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public Set<ValidationMessage> validate(ExecutionContext context, ValidationContext validationContext,
        JsonNode node, JsonNode rootNode, JsonNodePath instanceLocation, boolean assertionsEnabled,
        Supplier<MessageSourceValidationMessage.Builder> message, FormatValidator formatValidator) {
      if (matches(context, validationContext, node)) {
        return Set.of();
      }
      return Set.of(message.get().messageSupplier(() -> instanceLocation + ": " + node
          + " is outside " + name + " (" + min + " to " + max + ")").build());
    }

    @Override
    public boolean matches(ExecutionContext context, ValidationContext validationContext, JsonNode node) {
      if (!node.isNumber()) {
        return true;                        // "type" judges other kinds of value
      }
      if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
        return false;                       // 1e400 read as a double
      }
      BigDecimal v = node.decimalValue();
      return v.compareTo(min) >= 0 && v.compareTo(max) <= 0;
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
