package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.client.model.AbstractOpenApiSchema;
import io.github.wechatpaypartner.client.validation.Validatable;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.PrismMock;
import io.github.wechatpaypartner.conformance.support.PrismProcess;
import io.github.wechatpaypartner.conformance.support.RawCall;
import io.github.wechatpaypartner.conformance.support.RequestMutations;
import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.conformance.support.SpecCalls;
import io.github.wechatpaypartner.exception.Violation;
import io.github.wechatpaypartner.sandbox.ServiceSpec;
import io.github.wechatpaypartner.sandbox.SpecValidator;
import io.github.wechatpaypartner.spec.SpecDocument;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.swagger.v3.oas.models.media.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client ({@code collectViolations} of the generated model), the sandbox ({@link SpecValidator})
 * and Prism (the spec's judge) give the same verdict on generated values of every constrained field
 * of every request example: each field with a {@code pattern}, {@code minLength} or
 * {@code maxLength}, and each integer. Values come from a fixed seed ({@code -Dagreement.seed=N}
 * picks another); each disagreement is listed in the failure with the seed that reproduces it, and
 * every verdict is kept in {@code target/pattern-agreement.tsv}.
 *
 * <p>Values are edits of the example value (characters replaced, inserted or removed from an
 * alphabet of digits, letters, punctuation, every line terminator, U+0085, Unicode spaces, CJK and
 * an astral character), line breaks before, inside and after it, random strings, strings at the
 * length limits, and integers around 0, the spec's minimum and maximum, the int32 bounds, within
 * the safe-integer range and beyond int64. Prism reads JSON numbers as doubles and so refuses any
 * int64 beyond 2^53 - 1; values between there and the int64 bounds are left to
 * {@link #integersAreCheckedToTheExactTypeBounds()}, which holds the client and the sandbox to the
 * exact bounds. {@code x-wechatpay-weighted-max-length} fields are left out: Prism does not know
 * that rule (the client's and sandbox's checks of it share {@code Constraints.weightedLength}).
 *
 * <p>The client and the sandbox judge each value in process; Prism judges batches (one body per
 * round trip holding one value of each field, its {@code sl-violations} attributed by location),
 * except for oneOf bodies, whose violations cannot be attributed, judged one value per request.
 */
@ExtendWith(PrismMock.class)
class PatternAgreementTest {
  private static final long SEED = Long.getLong("agreement.seed", 20_251_206L);
  /** At least this many values in all, spread evenly over the constrained fields the spec has now. */
  private static final int VALUES = 1000;
  private static final SpecDocument SPEC = SpecDocument.load(ModulePaths.spec());
  private static final SpecValidator SANDBOX = new SpecValidator(ServiceSpec.read(ModulePaths.spec()));
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Every ECMA-262 LineTerminator sequence, and U+0085 which java.util.regex also treats as one. */
  private static final List<String> LINE_BREAKS = List.of("\n", "\r\n", "\r", "\u2028", "\u2029", "\u0085");
  private static final List<String> ALPHABET = List.of("0", "5", "9", "a", "Z", "_", "-", ":", "+", "T", ".",
      "/", "$", "^", " ", "\t", "\n", "\r", "\u2028", "\u2029", "\u0085", "\u00A0", "\u3000", "\u0000", "é", "中",
      "\uD83D\uDE00");
  private static final BigInteger SAFE = BigInteger.TWO.pow(53).subtract(BigInteger.ONE);
  private static final BigInteger BEYOND_INT64 = BigInteger.TWO.pow(64);

  @Test
  void generatedValuesOfEveryConstrainedFieldAreJudgedAlike(PrismProcess prism) {
    Random random = new Random(SEED);
    List<Sample> samples = new ArrayList<>();
    List<Field> fields = constrainedFields();
    int perField = (VALUES + fields.size() - 1) / fields.size();
    for (Field field : fields) {
      for (int i = 0; i < perField; i++) {
        samples.add(field.isString() ? field.sample(stringValue(field, random)) : field.sample(integerValue(field, random)));
      }
    }
    judge(prism, samples);
    record(samples);

    assertTrue(samples.size() >= 1000, "only " + samples.size() + " values");
    long refused = samples.stream().filter(s -> s.prism != null).count();
    assertTrue(refused > samples.size() / 5 && refused < samples.size() * 4 / 5,
        "the values should mix accepted and refused ones: " + refused + " of " + samples.size() + " refused");
    List<Sample> disagreements = samples.stream().filter(Sample::disagree).collect(Collectors.toList());
    assertTrue(disagreements.isEmpty(), () -> disagreements.size() + " of " + samples.size()
        + " values judged differently (seed " + SEED + ", rerun with -Dagreement.seed=" + SEED + "):\n"
        + disagreements.stream().limit(25).map(Sample::toString).collect(Collectors.joining("\n")));
  }

  @Test
  void aTrailingLineBreakIsRefusedByAllThreeForEveryPatternField(PrismProcess prism) {
    List<Sample> samples = new ArrayList<>();
    for (Field field : constrainedFields()) {
      if (field.schema.getPattern() != null) {
        LINE_BREAKS.forEach(lineBreak -> samples.add(field.sample(NODES.textNode(field.example.asText() + lineBreak))));
      }
    }
    assertTrue(samples.size() >= 6 * 3, "the spec's pattern fields were not found: " + samples);
    judge(prism, samples);
    List<Sample> accepted = samples.stream()
        .filter(s -> s.client == null || s.sandbox == null || s.prism == null).collect(Collectors.toList());
    assertTrue(accepted.isEmpty(), () -> "accepted with a trailing line break:\n"
        + accepted.stream().map(Sample::toString).collect(Collectors.joining("\n")));
  }

  /** int32 and int64 to the last value, where Prism (doubles) cannot tell: client and sandbox. */
  @Test
  void integersAreCheckedToTheExactTypeBounds() {
    int checked = 0;
    for (Field field : constrainedFields()) {
      if (field.isString()) {
        continue;
      }
      boolean int32 = "int32".equals(field.schema.getFormat());
      BigInteger max = BigInteger.valueOf(int32 ? Integer.MAX_VALUE : Long.MAX_VALUE);
      BigInteger min = BigInteger.valueOf(int32 ? Integer.MIN_VALUE : Long.MIN_VALUE);
      for (BigInteger outside : List.of(max.add(BigInteger.ONE), min.subtract(BigInteger.ONE))) {
        Sample s = field.sample(NODES.numberNode(outside));
        s.client = clientRefusal(s);
        s.sandbox = sandboxRefusal(s);
        assertTrue(s.client != null && s.sandbox != null, s::toString);
      }
      if (field.schema.getMaximum() == null) {
        Sample s = field.sample(NODES.numberNode(max));
        s.client = clientRefusal(s);
        s.sandbox = sandboxRefusal(s);
        assertTrue(s.client == null && s.sandbox == null, s::toString);
      }
      checked++;
    }
    assertTrue(checked >= 10, "only " + checked + " integer fields");
  }

  // ------------------------------------------------------------------ the fields and their values

  /** One constrained leaf of an operation's first request example. */
  private static final class Field {
    final SpecOperation op;
    final String pointer;
    final Schema<?> schema;
    final JsonNode example;
    final boolean oneOfBody;

    Field(SpecOperation op, String pointer, Schema<?> schema, JsonNode example) {
      this.op = op;
      this.pointer = pointer;
      this.schema = schema;
      this.example = example;
      this.oneOfBody = op.requestSchema().getOneOf() != null;
    }

    boolean isString() {
      return example.isTextual();
    }

    Sample sample(JsonNode value) {
      return new Sample(this, value);
    }
  }

  /** One value of one field, and each judge's refusal (null: accepted). */
  private static final class Sample {
    final Field field;
    final JsonNode value;
    String client;
    String sandbox;
    String prism;
    boolean prismAsked;

    Sample(Field field, JsonNode value) {
      this.field = field;
      this.value = value;
    }

    ObjectNode body() {
      ObjectNode body = firstExample(field.op);
      set(body, field.pointer, value);
      return body;
    }

    boolean disagree() {
      return (client == null) != (sandbox == null) || (sandbox == null) != (prism == null);
    }

    @Override
    public String toString() {
      return field.op.operationId + " " + field.pointer + " = " + shown(value) + ": client "
          + verdict(client) + "; sandbox " + verdict(sandbox) + (prismAsked ? "; Prism " + verdict(prism) : "");
    }

    private static String verdict(String refusal) {
      return refusal == null ? "accepts" : "refuses (" + refusal + ")";
    }
  }

  /** Every string with a pattern or length limit (no enum, no weighted length) and every integer of each first example. */
  private static List<Field> constrainedFields() {
    List<Field> fields = new ArrayList<>();
    for (SpecOperation op : SPEC.operations().values()) {
      if (op.requestSchema() != null) {
        walk(op, op.requestSchema(), firstExample(op), "", fields);
      }
    }
    return fields;
  }

  private static void walk(SpecOperation op, Schema<?> schema, JsonNode value, String pointer, List<Field> out) {
    Schema<?> s = RequestMutations.branchFor(schema, value);
    if (s == null) {
      return;
    }
    if (value.isObject() && s.getProperties() != null) {
      s.getProperties().forEach((name, property) -> {
        if (value.has(name)) {
          walk(op, property, value.get(name), pointer + "/" + SpecDocument.escape(name), out);
        }
      });
    } else if (value.isArray() && s.getItems() != null && value.size() > 0) {
      walk(op, s.getItems(), value.get(0), pointer + "/0", out);
    } else if (value.isTextual() && (s.getEnum() == null || s.getEnum().isEmpty())
        && (s.getExtensions() == null || !s.getExtensions().containsKey("x-wechatpay-weighted-max-length"))
        && (s.getPattern() != null || s.getMinLength() != null || s.getMaxLength() != null)) {
      out.add(new Field(op, pointer, s, value));
    } else if (value.isIntegralNumber() && "integer".equals(s.getType())) {
      out.add(new Field(op, pointer, s, value));
    }
  }

  private static JsonNode stringValue(Field field, Random random) {
    List<String> text = codePoints(field.example.asText());
    int maxLength = field.schema.getMaxLength() != null ? field.schema.getMaxLength() : text.size() + 8;
    switch (random.nextInt(5)) {
      case 0: // one to three edits from the alphabet
        for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
          int at = random.nextInt(text.size() + 1);
          int kind = random.nextInt(3);
          if (kind == 0 && at < text.size()) {
            text.set(at, pick(ALPHABET, random));
          } else if (kind == 1 || text.isEmpty()) {
            text.add(at, pick(ALPHABET, random));
          } else if (at < text.size()) {
            text.remove(at);
          }
        }
        break;
      case 1: // a line break after, before or inside the valid value
        int where = random.nextInt(3);
        text.add(where == 0 ? text.size() : where == 1 ? 0 : random.nextInt(text.size() + 1), pick(LINE_BREAKS, random));
        break;
      case 2: { // random text from the example's characters and the alphabet
        List<String> pool = new ArrayList<>(text);
        pool.addAll(ALPHABET);
        List<String> made = new ArrayList<>();
        for (int n = random.nextInt(maxLength + 4); n > 0; n--) {
          made.add(pick(pool, random));
        }
        text = made;
        break;
      }
      case 3: { // the example's characters cycled to a length at a limit
        int minLength = field.schema.getMinLength() != null ? field.schema.getMinLength() : 0;
        int[] lengths = {minLength - 1, minLength, maxLength, maxLength + 1};
        int length = Math.max(0, lengths[random.nextInt(lengths.length)]);
        List<String> made = new ArrayList<>();
        for (int i = 0; i < length; i++) {
          made.add(text.isEmpty() ? "a" : text.get(i % text.size()));
        }
        text = made;
        break;
      }
      default: // the example with a digit or letter swapped for another of its kind: mostly valid
        if (!text.isEmpty()) {
          int at = random.nextInt(text.size());
          char c = text.get(at).charAt(0);
          if (Character.isDigit(c)) {
            text.set(at, Integer.toString(random.nextInt(10)));
          } else if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
            text.set(at, String.valueOf((char) ((Character.isUpperCase(c) ? 'A' : 'a') + random.nextInt(26))));
          }
        }
    }
    return NODES.textNode(String.join("", text));
  }

  private static JsonNode integerValue(Field field, Random random) {
    Schema<?> s = field.schema;
    BigInteger v;
    switch (random.nextInt(6)) {
      case 0:
        v = BigInteger.valueOf(random.nextInt(7) - 3);
        break;
      case 1:
        v = s.getMinimum() == null ? BigInteger.valueOf(random.nextInt(100))
            : s.getMinimum().toBigInteger().add(BigInteger.valueOf(random.nextInt(5) - 2));
        break;
      case 2:
        v = s.getMaximum() == null ? BigInteger.valueOf(random.nextInt(Integer.MAX_VALUE))
            : s.getMaximum().toBigInteger().add(BigInteger.valueOf(random.nextInt(5) - 2));
        break;
      case 3:
        v = BigInteger.valueOf(random.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE)
            .add(BigInteger.valueOf(random.nextInt(5) - 2));
        break;
      case 4:
        v = BigInteger.valueOf(random.nextLong()).mod(SAFE.add(BigInteger.ONE));
        v = random.nextBoolean() ? v : v.negate();
        break;
      default:
        v = BEYOND_INT64.add(BigInteger.valueOf(random.nextInt(1_000_000)));
        v = random.nextBoolean() ? v : v.negate();
    }
    return NODES.numberNode(v);
  }

  // ------------------------------------------------------------------ the three judges

  private static void judge(PrismProcess prism, List<Sample> samples) {
    for (Sample s : samples) {
      s.client = clientRefusal(s);
      s.sandbox = sandboxRefusal(s);
    }
    // Batches: one value of each field per body (each value alone in a oneOf body).
    Map<SpecOperation, List<Map<String, Sample>>> batches = new LinkedHashMap<>();
    for (Sample s : samples) {
      List<Map<String, Sample>> ofOperation = batches.computeIfAbsent(s.field.op, op -> new ArrayList<>());
      Map<String, Sample> batch = s.field.oneOfBody ? null
          : ofOperation.stream().filter(b -> !b.containsKey(s.field.pointer)).findFirst().orElse(null);
      if (batch == null) {
        batch = new LinkedHashMap<>();
        ofOperation.add(batch);
      }
      batch.put(s.field.pointer, s);
    }
    batches.forEach((op, list) -> list.forEach(batch -> prismJudges(prism, op, batch)));
  }

  /** Why the client refuses the value: it cannot hold it, or collectViolations finds a violation. */
  private static String clientRefusal(Sample s) {
    Object model;
    try {
      model = SpecCalls.CLIENT.readBody(WechatPayClient.class, s.field.op.operationId, s.body());
    } catch (JsonProcessingException | IllegalArgumentException unreadable) {
      return "the model cannot hold it";
    }
    JsonNode held;
    try {
      held = MAPPER.readTree(SpecCalls.MAPPER.writeValueAsBytes(model)).at(s.field.pointer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    boolean same = s.value.isNumber() ? held.isNumber() && held.decimalValue().compareTo(s.value.decimalValue()) == 0
        : held.isTextual() && held.asText().equals(s.value.asText());
    if (!same) {
      return "the model holds " + shown(held);
    }
    // What ApiCall validates: the model itself, or for a oneOf wrapper the variant it holds.
    Object checked = model instanceof AbstractOpenApiSchema ? ((AbstractOpenApiSchema) model).getActualInstance() : model;
    if (!(checked instanceof Validatable)) {
      return "no variant of " + model.getClass().getSimpleName();
    }
    List<Violation> violations = new ArrayList<>();
    ((Validatable) checked).collectViolations("", violations);
    return violations.isEmpty() ? null : violations.stream().map(Violation::rule).collect(Collectors.joining("; "));
  }

  private static String sandboxRefusal(Sample s) {
    List<SpecValidator.Violation> violations = SANDBOX.requestBody(s.field.op.operationId, s.body());
    return violations.isEmpty() ? null
        : violations.stream().map(v -> v.keyword + " " + v.field).collect(Collectors.joining("; "));
  }

  /** One round trip for a batch; each violation is charged to the sample at its location. */
  private static void prismJudges(PrismProcess prism, SpecOperation op, Map<String, Sample> batch) {
    ObjectNode body = firstExample(op);
    batch.values().forEach(s -> {
      set(body, s.field.pointer, s.value);
      s.prismAsked = true;
    });
    RawCall.Result result = RawCall.to(prism.baseUri(), op).body(body).send();
    if (result.status / 100 == 2 && result.violations == null) {
      return;
    }
    assertTrue(result.status / 100 == 4 && result.violations != null, () -> "Prism answered " + result + " to " + body);
    ArrayNode violations;
    try {
      violations = (ArrayNode) MAPPER.readTree(result.violations);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (JsonNode v : violations) {
      StringBuilder pointer = new StringBuilder();
      JsonNode location = v.path("location");
      for (int i = 2; i < location.size(); i++) {   // after "request", "body"
        pointer.append('/').append(SpecDocument.escape(location.get(i).asText()));
      }
      Sample charged = batch.size() == 1 ? batch.values().iterator().next() : batch.get(pointer.toString());
      assertTrue(charged != null, () -> "Prism refused " + pointer + ", which no value of the batch changed: " + v);
      String code = v.path("code").asText();
      charged.prism = charged.prism == null ? code : charged.prism + "; " + code;
    }
  }

  // ------------------------------------------------------------------ helpers

  private static ObjectNode firstExample(SpecOperation op) {
    return op.requestExamples().values().iterator().next().deepCopy();
  }

  /** Sets the value at an existing pointer of the body. */
  private static void set(ObjectNode body, String pointer, JsonNode value) {
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = body.at(pointer.substring(0, slash));
    String last = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
    if (parent.isArray()) {
      ((ArrayNode) parent).set(Integer.parseInt(last), value);
    } else {
      ((ObjectNode) parent).set(last, value);
    }
  }

  private static List<String> codePoints(String s) {
    return s.codePoints().mapToObj(Character::toString).collect(Collectors.toCollection(ArrayList::new));
  }

  private static String pick(List<String> from, Random random) {
    return from.get(random.nextInt(from.size()));
  }

  /** The value as JSON with every non-ASCII or control character escaped, so line breaks show. */
  private static String shown(JsonNode value) {
    StringBuilder b = new StringBuilder();
    value.toString().codePoints().forEach(c -> b.append(c < 0x20 || c > 0x7E ? String.format("\\u%04X", c)
        : Character.toString(c)));
    return b.toString();
  }

  private static void record(List<Sample> samples) {
    StringBuilder tsv = new StringBuilder("seed " + SEED + "\noperation\tfield\tvalue\tclient\tsandbox\tprism\n");
    for (Sample s : samples) {
      tsv.append(String.join("\t", s.field.op.operationId, s.field.pointer, shown(s.value),
          String.valueOf(s.client), String.valueOf(s.sandbox), String.valueOf(s.prism))).append('\n');
    }
    try {
      Files.writeString(ModulePaths.targetFile("pattern-agreement.tsv"), tsv, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
