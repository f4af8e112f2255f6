package io.github.wechatpaypartner.conformance.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.spec.SpecDocument;
import io.swagger.v3.oas.models.media.Schema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Invalid request bodies derived from the spec's valid examples by breaking one rule of the
 * request schema at a time: a required field removed, a string shorter than minLength, longer than
 * maxLength or with a character its pattern refuses, a value outside its enum, a number outside
 * minimum/maximum, a wrong type; and for a oneOf body, two branches' fields mixed.
 */
public final class RequestMutations {
  private static final String[] BAD_CHARS = {"#", " ", "中", "!", "*", "/", "%"};

  private RequestMutations() {
  }

  /** One mutated body, the rule it breaks and where. */
  public static final class Mutation {
    public final String rule;
    /** JSON pointers of the fields a precise refusal names: the one broken, or for a oneOf mix any field of the two sets. */
    public final Set<String> fields;
    public final JsonNode body;

    Mutation(String rule, String field, JsonNode body) {
      this(rule, Set.of(field), body);
    }

    Mutation(String rule, Set<String> fields, JsonNode body) {
      this.rule = rule;
      this.fields = fields;
      this.body = body;
    }

    @Override
    public String toString() {
      return rule;
    }
  }

  /** Every single-rule mutation of {@code example}, valid against {@code schema}. */
  public static List<Mutation> of(Schema<?> schema, JsonNode example) {
    List<Mutation> out = new ArrayList<>();
    walk(schema, example, example, "", out, 0);
    return out;
  }

  /**
   * Every single-rule mutation of the operation's {@code in} ({@code path} or {@code query})
   * parameters, from their schemas and the spec's example values: each mutation's {@code body} is
   * the object of parameter values (name to value, a missing one left out), its field the
   * parameter's name. Values are typed as their schemas say, so a number's mutations are numbers.
   */
  public static List<Mutation> ofParameters(SpecDocument.SpecOperation op, String in) {
    io.swagger.v3.oas.models.media.ObjectSchema schema = new io.swagger.v3.oas.models.media.ObjectSchema();
    ObjectNode values = JsonNodeFactory.instance.objectNode();
    Map<String, String> examples = op.parameterExamples(in);
    for (io.swagger.v3.oas.models.parameters.Parameter p : op.parameters()) {
      if (!in.equals(p.getIn()) || p.getSchema() == null) {
        continue;
      }
      schema.addProperty(p.getName(), p.getSchema());
      if (Boolean.TRUE.equals(p.getRequired())) {
        schema.addRequiredItem(p.getName());
      }
      String example = examples.get(p.getName());
      if (example != null) {
        boolean number = "integer".equals(p.getSchema().getType()) || "number".equals(p.getSchema().getType());
        values.set(p.getName(), number ? JsonNodeFactory.instance.numberNode(new BigDecimal(example))
            : JsonNodeFactory.instance.textNode(example));
      }
    }
    List<Mutation> out = new ArrayList<>();
    for (Mutation m : of(schema, values)) {
      Set<String> names = new LinkedHashSet<>();
      m.fields.forEach(f -> names.add(f.substring(1)));
      out.add(new Mutation(in + " parameter " + m.rule, names, m.body));
    }
    return out;
  }

  /** Parameter values of {@link #ofParameters} as the text the URL carries. */
  public static Map<String, String> asText(JsonNode values) {
    Map<String, String> text = new LinkedHashMap<>();
    values.fields().forEachRemaining(f -> text.put(f.getKey(), f.getValue().asText()));
    return text;
  }

  /** The oneOf branch an instance belongs to (by required fields, known fields and enums), or null. */
  public static Schema<?> branchFor(Schema<?> schema, JsonNode instance) {
    if (schema.getOneOf() == null || schema.getOneOf().isEmpty()) {
      return schema;
    }
    for (Schema<?> branch : schema.getOneOf()) {
      if (plausible(branch, instance)) {
        return branch;
      }
    }
    return null;
  }

  private static boolean plausible(Schema<?> branch, JsonNode v) {
    if (!v.isObject()) {
      return false;
    }
    if (branch.getRequired() != null) {
      for (String r : branch.getRequired()) {
        if (!v.has(r)) {
          return false;
        }
      }
    }
    Map<String, Schema> props = branch.getProperties() == null ? Map.of() : branch.getProperties();
    for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      Schema<?> p = props.get(name);
      if (p == null) {
        if (Boolean.FALSE.equals(branch.getAdditionalProperties())) {
          return false;
        }
        continue;
      }
      if (p.getEnum() != null && !p.getEnum().isEmpty() && v.get(name).isTextual()
          && p.getEnum().stream().noneMatch(e -> String.valueOf(e).equals(v.get(name).asText()))) {
        return false;
      }
    }
    return true;
  }

  private static void walk(Schema<?> schema, JsonNode value, JsonNode root, String pointer,
      List<Mutation> out, int depth) {
    if (schema == null || value == null || depth > 6) {
      return;
    }
    Schema<?> s = branchFor(schema, value);
    if (s == null) {
      return;
    }
    if (value.isObject()) {
      if (s.getRequired() != null) {
        for (String r : s.getRequired()) {
          if (value.has(r)) {
            JsonNode copy = root.deepCopy();
            ((ObjectNode) copy.at(pointer.isEmpty() ? "" : pointer)).remove(r);
            out.add(new Mutation("required " + where(pointer, r) + " missing", where(pointer, r), copy));
          }
        }
      }
      Map<String, Schema> props = s.getProperties() == null ? Map.of() : s.getProperties();
      for (Map.Entry<String, Schema> p : props.entrySet()) {
        if (value.has(p.getKey())) {
          String child = pointer + "/" + SpecDocument.escape(p.getKey());
          leaf(p.getValue(), value.get(p.getKey()), root, child, out);
          walk(p.getValue(), value.get(p.getKey()), root, child, out, depth + 1);
        }
      }
    } else if (value.isArray()) {
      Schema<?> items = s.getItems();
      if (s.getMinItems() != null && s.getMinItems() > 0) {
        out.add(new Mutation(pointer + " with fewer than minItems " + s.getMinItems(), pointer,
            replace(root, pointer, JsonNodeFactory.instance.arrayNode())));
      }
      if (s.getMaxItems() != null && value.size() > 0 && !Boolean.TRUE.equals(s.getUniqueItems())) {
        ArrayNode longer = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i <= s.getMaxItems(); i++) {
          longer.add(value.get(i % value.size()).deepCopy());
        }
        out.add(new Mutation(pointer + " with more than maxItems " + s.getMaxItems(), pointer, replace(root, pointer, longer)));
      }
      if (items != null && value.size() > 0) {
        leaf(items, value.get(0), root, pointer + "/0", out);
        walk(items, value.get(0), root, pointer + "/0", out, depth + 1);
      }
    }
  }

  /** Mutations of one scalar value in place. */
  private static void leaf(Schema<?> schema, JsonNode value, JsonNode root, String pointer, List<Mutation> out) {
    Schema<?> s = branchFor(schema, value);
    if (s == null) {
      return;
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value.isTextual()) {
      String text = value.asText();
      if (s.getEnum() != null && !s.getEnum().isEmpty()) {
        String wrong = "NOT_" + text + "_X";
        out.add(new Mutation(pointer + " = '" + wrong + "' outside its enum", pointer, replace(root, pointer, f.textNode(wrong))));
      }
      char filler = text.isEmpty() ? 'a' : text.charAt(0);
      if (s.getMinLength() != null && s.getMinLength() > 0) {
        String shorter = text.length() >= s.getMinLength() ? text.substring(0, s.getMinLength() - 1) : "";
        out.add(new Mutation(pointer + " shorter than minLength " + s.getMinLength(), pointer,
            replace(root, pointer, f.textNode(shorter))));
      }
      if (s.getMaxLength() != null) {
        StringBuilder longer = new StringBuilder(text);
        while (longer.length() <= s.getMaxLength()) {
          longer.append(filler);
        }
        out.add(new Mutation(pointer + " longer than maxLength " + s.getMaxLength(), pointer,
            replace(root, pointer, f.textNode(longer.toString()))));
      }
      if (s.getPattern() != null && !text.isEmpty()) {
        Pattern pattern = Pattern.compile(s.getPattern());
        for (String bad : BAD_CHARS) {
          String candidate = text.substring(0, text.length() - 1) + bad;
          if (!pattern.matcher(candidate).find()) {
            out.add(new Mutation(pointer + " with '" + bad + "' refused by pattern " + s.getPattern(), pointer,
                replace(root, pointer, f.textNode(candidate))));
            break;
          }
        }
      }
      if ("date-time".equals(s.getFormat())) {
        out.add(new Mutation(pointer + " not a date-time", pointer, replace(root, pointer, f.textNode("2025-13-45 25:61"))));
      }
    } else if (value.isIntegralNumber() || value.isNumber()) {
      if (s.getMinimum() != null) {
        BigDecimal below = Boolean.TRUE.equals(s.getExclusiveMinimum()) ? s.getMinimum() : s.getMinimum().subtract(BigDecimal.ONE);
        out.add(new Mutation(pointer + " below minimum " + s.getMinimum(), pointer, replace(root, pointer, f.numberNode(below.toBigInteger()))));
      }
      if (s.getMaximum() != null) {
        BigDecimal above = Boolean.TRUE.equals(s.getExclusiveMaximum()) ? s.getMaximum() : s.getMaximum().add(BigDecimal.ONE);
        out.add(new Mutation(pointer + " above maximum " + s.getMaximum(), pointer, replace(root, pointer, f.numberNode(above.toBigInteger()))));
      }
      out.add(new Mutation(pointer + " a string instead of a number", pointer,
          replace(root, pointer, f.textNode("not-a-number"))));
    } else if (value.isBoolean()) {
      out.add(new Mutation(pointer + " a string instead of a boolean", pointer, replace(root, pointer, f.textNode("yes"))));
    }
  }

  /**
   * For a oneOf body: for each ordered pair of branches (A, B) with an example each, A's example
   * plus B's own fields ("both sets"), and A's example with its own fields swapped for B's ("A's
   * mode, B's fields"). Neither may match exactly one branch.
   */
  public static List<Mutation> mixedBranches(Schema<?> schema, Map<String, JsonNode> examples) {
    List<Mutation> out = new ArrayList<>();
    if (schema.getOneOf() == null || schema.getOneOf().size() < 2) {
      return out;
    }
    Map<Integer, JsonNode> exampleOfBranch = new LinkedHashMap<>();
    for (JsonNode example : examples.values()) {
      Schema<?> branch = branchFor(schema, example);
      if (branch != null) {
        exampleOfBranch.putIfAbsent(schema.getOneOf().indexOf(branch), example);
      }
    }
    List<Schema> branches = schema.getOneOf();
    for (int a = 0; a < branches.size(); a++) {
      for (int b = 0; b < branches.size(); b++) {
        if (a == b || !exampleOfBranch.containsKey(a) || !exampleOfBranch.containsKey(b)) {
          continue;
        }
        Set<String> ownA = own(branches.get(a), branches.get(b));
        Set<String> ownB = own(branches.get(b), branches.get(a));
        JsonNode exA = exampleOfBranch.get(a);
        JsonNode exB = exampleOfBranch.get(b);
        ObjectNode both = exA.deepCopy();
        ObjectNode swapped = exA.deepCopy();
        swapped.remove(ownA);
        for (String p : ownB) {
          if (exB.has(p)) {
            both.set(p, exB.get(p).deepCopy());
            swapped.set(p, exB.get(p).deepCopy());
          }
        }
        String nameA = label(branches.get(a), a);
        String nameB = label(branches.get(b), b);
        Set<String> mixed = new LinkedHashSet<>();
        ownA.forEach(f -> mixed.add("/" + f));
        ownB.forEach(f -> mixed.add("/" + f));
        out.add(new Mutation("oneOf: " + nameA + " example plus " + nameB + "'s fields " + ownB, mixed, both));
        out.add(new Mutation("oneOf: " + nameA + " mode with " + nameB + "'s fields " + ownB
            + " instead of " + ownA, mixed, swapped));
      }
    }
    return out;
  }

  /** Index of each oneOf branch without an example among {@code examples}. */
  public static List<String> branchesWithoutExample(Schema<?> schema, Map<String, JsonNode> examples) {
    List<String> missing = new ArrayList<>();
    if (schema.getOneOf() == null) {
      return missing;
    }
    for (int i = 0; i < schema.getOneOf().size(); i++) {
      Schema<?> branch = schema.getOneOf().get(i);
      boolean covered = examples.values().stream().anyMatch(e -> branchFor(schema, e) == branch);
      if (!covered) {
        missing.add(label(branch, i));
      }
    }
    return missing;
  }

  private static Set<String> own(Schema<?> mine, Schema<?> other) {
    Set<String> own = new LinkedHashSet<>(mine.getProperties() == null ? Set.of() : mine.getProperties().keySet());
    if (other.getProperties() != null) {
      own.removeAll(other.getProperties().keySet());
    }
    return own;
  }

  /** The branch's title, else its single-valued enum (the discriminator, e.g. update_mode=MAX_COUNT). */
  private static String label(Schema<?> branch, int index) {
    if (branch.getTitle() != null) {
      return branch.getTitle();
    }
    if (branch.getProperties() != null) {
      for (Map.Entry<String, Schema> p : branch.getProperties().entrySet()) {
        List<?> values = p.getValue().getEnum();
        if (values != null && values.size() == 1) {
          return p.getKey() + "=" + values.get(0);
        }
      }
    }
    return "oneOf branch " + index;
  }

  private static String where(String pointer, String field) {
    return (pointer.isEmpty() ? "" : pointer) + "/" + field;
  }

  private static JsonNode replace(JsonNode root, String pointer, JsonNode newValue) {
    JsonNode copy = root.deepCopy();
    int slash = pointer.lastIndexOf('/');
    String parentPointer = pointer.substring(0, slash);
    String last = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
    JsonNode parent = parentPointer.isEmpty() ? copy : copy.at(parentPointer);
    if (parent.isArray()) {
      ((ArrayNode) parent).set(Integer.parseInt(last), newValue);
    } else {
      ((ObjectNode) parent).set(last, newValue);
    }
    return copy;
  }
}
