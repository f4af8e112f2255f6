package io.github.wechatpaypartner.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The changes between a published document and its successor that break a consumer of the
 * published one, each as one finding naming the place and the rule. Works on the plain YAML trees
 * (local $refs followed here), so it also covers the notifications under {@code x-webhooks} and
 * their decrypted resources, which openapi-diff does not see.
 *
 * <p>Direction decides what breaks. What a consumer WRITES (API request bodies and parameters, the
 * answers a merchant gives to a notification) must not be narrowed: a field removed or made
 * required, a length, pattern, range or value set tightened. What a consumer READS (API answers,
 * notifications) must not lose anything: a field removed or made optional, an enum value removed,
 * and a closed value set must not grow (readers built on it refuse the new value). Any change of
 * type or format breaks both.
 */
final class BreakingChanges {

  /**
   * One breaking change: where a consumer meets it (operation and field), where it was made (the
   * named component and its field, when the field lives in one; else the same place), and the rule.
   */
  static final class Finding {
    final String place;
    final String source;
    final String rule;

    Finding(String place, String source, String rule) {
      this.place = place;
      this.source = source;
      this.rule = rule;
    }

    @Override
    public String toString() {
      return (source.equals(place) ? place : source + " (" + place + ")") + ": " + rule;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Finding && ((Finding) o).place.equals(place) && ((Finding) o).rule.equals(rule);
    }

    @Override
    public int hashCode() {
      return Objects.hash(place, rule);
    }
  }

  private enum Direction {
    /** The consumer sends it: narrowing breaks. */
    WRITE,
    /** The consumer receives it: losing or opening up breaks. */
    READ
  }

  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  private final JsonNode oldDoc;
  private final JsonNode newDoc;
  private final Set<Finding> findings = new LinkedHashSet<>();
  private final Set<String> visiting = new HashSet<>();

  private BreakingChanges(JsonNode oldDoc, JsonNode newDoc) {
    this.oldDoc = oldDoc;
    this.newDoc = newDoc;
  }

  static List<Finding> between(JsonNode published, JsonNode current) {
    BreakingChanges changes = new BreakingChanges(published, current);
    changes.operations("paths", false);
    changes.operations("x-webhooks", true);
    return new ArrayList<>(changes.findings);
  }

  private void operations(String root, boolean webhooks) {
    for (Iterator<Map.Entry<String, JsonNode>> it = oldDoc.path(root).fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> item = it.next();
      JsonNode newItem = newDoc.path(root).path(item.getKey());
      for (String method : METHODS) {
        JsonNode oldOp = item.getValue().path(method);
        if (oldOp.isMissingNode()) {
          continue;
        }
        String label = (webhooks ? "notification " + item.getKey() : method.toUpperCase() + " " + item.getKey())
            + (oldOp.has("operationId") ? " (" + oldOp.get("operationId").asText() + ")" : "");
        JsonNode newOp = newItem.path(method);
        if (newOp.isMissingNode()) {
          add(label, webhooks ? "notification removed" : "operation removed");
        } else {
          operation(label, item.getValue(), oldOp, newItem, newOp, webhooks);
        }
      }
    }
  }

  private void operation(String label, JsonNode oldItem, JsonNode oldOp, JsonNode newItem, JsonNode newOp,
      boolean webhook) {
    // A notification is written by WeChat Pay and read by the consumer; the consumer writes the answer.
    Direction in = webhook ? Direction.READ : Direction.WRITE;
    Direction out = webhook ? Direction.WRITE : Direction.READ;
    parameters(label, parameters(oldDoc, oldItem, oldOp), parameters(newDoc, newItem, newOp), in);

    JsonNode oldBody = deref(oldDoc, oldOp.path("requestBody"));
    JsonNode newBody = deref(newDoc, newOp.path("requestBody"));
    if (!oldBody.isMissingNode()) {
      String place = label + (webhook ? " notification body" : " request body");
      if (newBody.isMissingNode()) {
        add(place, "request body removed");
      } else {
        if (in == Direction.WRITE && !oldBody.path("required").asBoolean(false) && newBody.path("required").asBoolean(false)) {
          add(place, "request body made required");
        }
        content(place, oldBody.path("content"), newBody.path("content"), in);
      }
    }

    for (Iterator<Map.Entry<String, JsonNode>> it = oldOp.path("responses").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> status = it.next();
      String place = label + " " + (webhook ? "answer " : "response ") + status.getKey();
      JsonNode newResponse = newOp.path("responses").path(status.getKey());
      if (newResponse.isMissingNode() && status.getKey().matches("\\d{3}")) {
        newResponse = newOp.path("responses").path(status.getKey().charAt(0) + "XX"); // a range now covers it
      }
      if (newResponse.isMissingNode()) {
        add(place, (webhook ? "answer " : "response ") + status.getKey() + " removed");
        continue;
      }
      JsonNode oldResponse = deref(oldDoc, status.getValue());
      newResponse = deref(newDoc, newResponse);
      if (out == Direction.READ) {
        for (Iterator<String> names = oldResponse.path("headers").fieldNames(); names.hasNext(); ) {
          String header = names.next();
          if (!newResponse.path("headers").has(header)) {
            add(place, "answer header " + header + " removed");
          }
        }
      }
      content(place, oldResponse.path("content"), newResponse.path("content"), out);
    }

    JsonNode oldResource = oldOp.path("x-wechatpay-decrypted-resource");
    if (!oldResource.isMissingNode()) {
      String place = label + " decrypted resource";
      JsonNode newResource = newOp.path("x-wechatpay-decrypted-resource");
      if (newResource.isMissingNode()) {
        add(place, "decrypted resource schema removed");
      } else {
        schema(new Loc(place), oldResource, newResource, Direction.READ);
      }
    }
  }

  private void parameters(String label, Map<String, JsonNode> oldParams, Map<String, JsonNode> newParams, Direction direction) {
    for (Map.Entry<String, JsonNode> p : oldParams.entrySet()) {
      String place = label + " parameter " + p.getKey();
      JsonNode newParam = newParams.get(p.getKey());
      boolean wasRequired = p.getValue().path("required").asBoolean(false);
      if (newParam == null) {
        add(place, direction == Direction.WRITE ? "parameter removed" : "header removed");
        continue;
      }
      boolean isRequired = newParam.path("required").asBoolean(false);
      if (direction == Direction.WRITE && !wasRequired && isRequired) {
        add(place, "parameter made required");
      } else if (direction == Direction.READ && wasRequired && !isRequired) {
        add(place, "header made optional");
      }
      schema(new Loc(place), p.getValue().path("schema"), newParam.path("schema"), direction);
    }
    if (direction == Direction.WRITE) {
      for (Map.Entry<String, JsonNode> p : newParams.entrySet()) {
        if (!oldParams.containsKey(p.getKey()) && p.getValue().path("required").asBoolean(false)) {
          add(label + " parameter " + p.getKey(), "parameter added as required");
        }
      }
    }
  }

  /** Path-level and operation-level parameters, by "in name", $refs followed. */
  private static Map<String, JsonNode> parameters(JsonNode doc, JsonNode item, JsonNode op) {
    Map<String, JsonNode> params = new java.util.TreeMap<>();
    for (JsonNode list : List.of(item.path("parameters"), op.path("parameters"))) {
      for (JsonNode p : list) {
        JsonNode param = deref(doc, p);
        params.put(param.path("in").asText() + " " + param.path("name").asText(), param);
      }
    }
    return params;
  }

  private void content(String place, JsonNode oldContent, JsonNode newContent, Direction direction) {
    for (Iterator<Map.Entry<String, JsonNode>> it = oldContent.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> media = it.next();
      JsonNode newMedia = newContent.path(media.getKey());
      if (newMedia.isMissingNode()) {
        add(place, "content type " + media.getKey() + " removed");
      } else {
        schema(new Loc(place), media.getValue().path("schema"), newMedia.path("schema"), direction);
      }
    }
  }

  /** Where a schema is: the consumer's place (operation and field) and, inside a named component, its own name. */
  private static final class Loc {
    final String place;
    final String field;
    final String source;

    Loc(String place) {
      this(place, "", null);
    }

    private Loc(String place, String field, String source) {
      this.place = place;
      this.field = field;
      this.source = source;
    }

    Loc child(String suffix) {
      String joined = suffix.startsWith("[") || field.isEmpty() ? field + suffix : field + "." + suffix;
      String sourceJoined = source == null ? null : suffix.startsWith("[") ? source + suffix : source + "." + suffix;
      return new Loc(place, joined, sourceJoined);
    }

    /** Entering a $ref to a named schema: changes there are reported under its name. */
    Loc into(JsonNode raw) {
      String ref = raw.path("$ref").asText("");
      String prefix = "#/components/schemas/";
      return ref.startsWith(prefix) ? new Loc(place, field, "components.schemas." + ref.substring(prefix.length())) : this;
    }

    String where() {
      return field.isEmpty() ? place : place + " " + field;
    }

    String source() {
      return source == null ? where() : source;
    }
  }

  private void schema(Loc loc, JsonNode oldRaw, JsonNode newRaw, Direction direction) {
    if (oldRaw.isMissingNode() || newRaw.isMissingNode()) {
      if (!oldRaw.isMissingNode()) {
        add(loc, "schema removed");
      }
      return;
    }
    String key = oldRaw.path("$ref").asText() + "|" + newRaw.path("$ref").asText() + "|" + direction + "|" + loc.where();
    if (!visiting.add(key)) {
      return; // a recursive structure already being compared on this path
    }
    try {
      Loc here = loc.into(newRaw);
      JsonNode oldSchema = flatten(oldDoc, deref(oldDoc, oldRaw));
      JsonNode newSchema = flatten(newDoc, deref(newDoc, newRaw));
      typeAndFormat(here, oldSchema, newSchema);
      values(here, oldSchema, newSchema, direction);
      if (direction == Direction.WRITE) {
        narrowed(here, oldSchema, newSchema);
      } else if (newSchema.path("nullable").asBoolean(false) && !oldSchema.path("nullable").asBoolean(false)) {
        add(here, "answer value made nullable");
      }
      properties(here, oldSchema, newSchema, direction);
      if (oldSchema.has("items")) {
        schema(here.child("[]"), oldSchema.get("items"), newSchema.path("items"), direction);
      }
      alternatives(here, oldSchema, newSchema, direction);
    } finally {
      visiting.remove(key);
    }
  }

  private void typeAndFormat(Loc loc, JsonNode oldSchema, JsonNode newSchema) {
    String oldType = oldSchema.path("type").asText("");
    String newType = newSchema.path("type").asText("");
    if (!oldType.isEmpty() && !oldType.equals(newType)) {
      add(loc, "type changed from " + oldType + " to " + (newType.isEmpty() ? "untyped" : newType));
    }
    String oldFormat = oldSchema.path("format").asText("");
    String newFormat = newSchema.path("format").asText("");
    if (!oldFormat.equals(newFormat) && oldType.equals(newType)) {
      add(loc, "type changed: format " + (oldFormat.isEmpty() ? "(none)" : oldFormat) + " -> "
          + (newFormat.isEmpty() ? "(none)" : newFormat));
    }
  }

  /** Closed (enum) and open (x-extensible-enum) value sets. */
  private void values(Loc loc, JsonNode oldSchema, JsonNode newSchema, Direction direction) {
    Set<String> oldEnum = strings(oldSchema.path("enum"));
    Set<String> newEnum = strings(newSchema.path("enum"));
    boolean oldClosed = oldSchema.has("enum");
    boolean newClosed = newSchema.has("enum");
    if (direction == Direction.WRITE) {
      if (!oldClosed && newClosed) {
        add(loc, "request value set closed (enum " + newEnum + " added)");
      } else if (oldClosed && newClosed) {
        Set<String> removed = minus(oldEnum, newEnum);
        if (!removed.isEmpty()) {
          add(loc, "request enum narrowed: " + String.join(", ", removed) + " removed");
        }
      }
      return;
    }
    Set<String> oldKnown = union(oldEnum, strings(oldSchema.path("x-extensible-enum")));
    Set<String> newKnown = union(newEnum, strings(newSchema.path("x-extensible-enum")));
    Set<String> removed = minus(oldKnown, newKnown);
    if (!removed.isEmpty()) {
      add(loc, "answer enum value removed: " + String.join(", ", removed));
    }
    if (oldClosed && newClosed) {
      Set<String> added = minus(newEnum, oldEnum);
      if (!added.isEmpty()) {
        add(loc, "value added to a closed answer enum: " + String.join(", ", added)
            + " (readers of the published version refuse it; an open set is listed with x-extensible-enum)");
      }
    } else if (oldClosed) {
      add(loc, "closed answer enum opened (readers of the published version refuse values outside "
          + oldEnum + ")");
    }
  }

  /** What a request may carry must not shrink. */
  private void narrowed(Loc loc, JsonNode oldSchema, JsonNode newSchema) {
    for (String keyword : List.of("maxLength", "x-wechatpay-weighted-max-length", "maxItems", "maximum")) {
      bound(loc, keyword, oldSchema, newSchema, true);
    }
    for (String keyword : List.of("minLength", "minItems", "minimum")) {
      bound(loc, keyword, oldSchema, newSchema, false);
    }
    String oldPattern = oldSchema.path("pattern").asText(null);
    String newPattern = newSchema.path("pattern").asText(null);
    if (newPattern != null && !newPattern.equals(oldPattern)) {
      add(loc, "request field narrowed: pattern " + (oldPattern == null ? "" : oldPattern + " -> ") + newPattern
          + (oldPattern == null ? " added" : ""));
    }
    for (String flag : List.of("exclusiveMinimum", "exclusiveMaximum", "uniqueItems")) {
      if (newSchema.path(flag).asBoolean(false) && !oldSchema.path(flag).asBoolean(false)) {
        add(loc, "request field narrowed: " + flag + " added");
      }
    }
    if (oldSchema.path("nullable").asBoolean(false) && !newSchema.path("nullable").asBoolean(false)) {
      add(loc, "request field narrowed: null no longer allowed");
    }
    if (newSchema.has("multipleOf") && !newSchema.path("multipleOf").equals(oldSchema.path("multipleOf"))) {
      add(loc, "request field narrowed: multipleOf " + newSchema.get("multipleOf").asText());
    }
    boolean wasClosed = oldSchema.path("additionalProperties").isBoolean() && !oldSchema.path("additionalProperties").asBoolean();
    boolean isClosed = newSchema.path("additionalProperties").isBoolean() && !newSchema.path("additionalProperties").asBoolean();
    if (isClosed && !wasClosed) {
      add(loc, "request object closed (additionalProperties: false)");
    }
  }

  /** An upper bound (maxLength...) that appears or drops, or a lower bound (minLength...) that appears or rises. */
  private void bound(Loc loc, String keyword, JsonNode oldSchema, JsonNode newSchema, boolean upper) {
    if (!newSchema.has(keyword)) {
      return;
    }
    JsonNode now = newSchema.get(keyword);
    if (!oldSchema.has(keyword)) {
      add(loc, "request field narrowed: " + keyword + " " + number(now) + " added");
      return;
    }
    JsonNode before = oldSchema.get(keyword);
    if (upper ? now.asDouble() < before.asDouble() : now.asDouble() > before.asDouble()) {
      add(loc, "request field narrowed: " + keyword + " " + number(before) + " -> " + number(now));
    }
  }

  private void properties(Loc loc, JsonNode oldSchema, JsonNode newSchema, Direction direction) {
    JsonNode oldProps = oldSchema.path("properties");
    JsonNode newProps = newSchema.path("properties");
    Set<String> oldRequired = strings(oldSchema.path("required"));
    Set<String> newRequired = strings(newSchema.path("required"));
    String side = direction == Direction.WRITE ? "request" : "answer";
    for (Iterator<Map.Entry<String, JsonNode>> it = oldProps.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> prop = it.next();
      Loc child = loc.child(prop.getKey());
      if (!newProps.has(prop.getKey())) {
        add(child, side + " field removed");
        continue;
      }
      boolean was = oldRequired.contains(prop.getKey());
      boolean is = newRequired.contains(prop.getKey());
      if (direction == Direction.WRITE && !was && is) {
        add(child, "request field made required");
      } else if (direction == Direction.READ && was && !is) {
        add(child, "answer field made optional (readers rely on it)");
      }
      schema(child, prop.getValue(), newProps.get(prop.getKey()), direction);
    }
    if (direction == Direction.WRITE) {
      for (String name : newRequired) {
        if (!oldProps.has(name)) {
          add(loc.child(name), "request field added as required");
        }
      }
    }
  }

  /** oneOf / anyOf branches, matched by discriminator value when there is one, else by position. */
  private void alternatives(Loc loc, JsonNode oldSchema, JsonNode newSchema, Direction direction) {
    for (String keyword : List.of("oneOf", "anyOf")) {
      JsonNode oldBranches = oldSchema.path(keyword);
      if (!oldBranches.isArray()) {
        continue;
      }
      Map<String, JsonNode> oldMapping = mapping(oldSchema);
      Map<String, JsonNode> newMapping = mapping(newSchema);
      if (oldMapping.isEmpty()) {
        for (int i = 0; i < oldBranches.size(); i++) {
          oldMapping.put(keyword + " " + i, oldBranches.get(i));
          if (i < newSchema.path(keyword).size()) {
            newMapping.put(keyword + " " + i, newSchema.path(keyword).get(i));
          }
        }
      }
      for (Map.Entry<String, JsonNode> branch : oldMapping.entrySet()) {
        Loc child = loc.child("[" + branch.getKey() + "]");
        JsonNode newBranch = newMapping.get(branch.getKey());
        if (newBranch == null) {
          if (direction == Direction.WRITE) {
            add(child, "request alternative removed");
          }
        } else {
          schema(child, branch.getValue(), newBranch, direction);
        }
      }
    }
  }

  private static Map<String, JsonNode> mapping(JsonNode schema) {
    Map<String, JsonNode> branches = new java.util.TreeMap<>();
    schema.path("discriminator").path("mapping").fields().forEachRemaining(e ->
        branches.put(e.getKey(), JsonNodeFactory.instance.objectNode().put("$ref", e.getValue().asText())));
    return branches;
  }

  /** allOf merged into one schema (properties and required united), so it compares like any object. */
  private static JsonNode flatten(JsonNode doc, JsonNode schema) {
    if (!schema.has("allOf")) {
      return schema;
    }
    ObjectNode merged = ((ObjectNode) schema).deepCopy();
    merged.remove("allOf");
    ObjectNode properties = merged.withObjectProperty("properties");
    ArrayNode required = merged.withArrayProperty("required");
    for (JsonNode part : schema.get("allOf")) {
      JsonNode resolved = flatten(doc, deref(doc, part));
      resolved.fields().forEachRemaining(e -> {
        if (e.getKey().equals("properties")) {
          e.getValue().fields().forEachRemaining(p -> properties.set(p.getKey(), p.getValue()));
        } else if (e.getKey().equals("required")) {
          e.getValue().forEach(required::add);
        } else if (!merged.has(e.getKey())) {
          merged.set(e.getKey(), e.getValue());
        }
      });
    }
    return merged;
  }

  /** Follows local $refs ("#/..."). */
  static JsonNode deref(JsonNode doc, JsonNode node) {
    JsonNode current = node;
    for (int hops = 0; current.has("$ref"); hops++) {
      String ref = current.get("$ref").asText();
      if (!ref.startsWith("#") || hops > 32) {
        throw new IllegalStateException("cannot follow $ref " + ref + " (only local references, no loops)");
      }
      current = doc.at(ref.substring(1));
      if (current.isMissingNode()) {
        throw new IllegalStateException("unresolvable $ref " + ref);
      }
    }
    return current;
  }

  private static String number(JsonNode n) {
    return n.isIntegralNumber() ? n.asText() : n.toString();
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> values = new LinkedHashSet<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new LinkedHashSet<>(a);
    u.addAll(b);
    return u;
  }

  private static Set<String> minus(Set<String> a, Set<String> b) {
    Set<String> d = new LinkedHashSet<>(a);
    d.removeAll(b);
    return d;
  }

  private void add(String place, String rule) {
    findings.add(new Finding(place, place, rule));
  }

  private void add(Loc loc, String rule) {
    findings.add(new Finding(loc.where(), loc.source(), rule));
  }
}
