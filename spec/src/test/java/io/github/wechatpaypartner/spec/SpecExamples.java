package io.github.wechatpaypartner.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Every example the document carries, with the JSON pointer of the schema it must satisfy.
 * Found by walking the tree, so a new example anywhere (operation, component, webhook,
 * parameter, header, schema) is checked without touching the tests.
 */
final class SpecExamples {

  /** One example: where it stands, its value and the pointer of its schema. */
  static final class Example {
    final String location;
    final JsonNode value;
    final String schemaPointer;

    Example(String location, JsonNode value, String schemaPointer) {
      this.location = location;
      this.value = value;
      this.schemaPointer = schemaPointer;
    }

    @Override
    public String toString() {
      return location;
    }
  }

  private SpecExamples() {
  }

  static List<Example> all(JsonNode document) {
    List<Example> found = new ArrayList<>();
    walk(document, document, "", found);
    return found;
  }

  private static void walk(JsonNode document, JsonNode node, String pointer, List<Example> found) {
    if (!node.isContainerNode()) {
      return;
    }
    if (node.isObject()) {
      boolean hasSchema = node.has("schema");
      if (hasSchema) {
        // A media type, parameter or header: its example(s) must satisfy its schema.
        String schemaPointer = pointer + "/schema";
        if (node.has("example")) {
          found.add(new Example(describe(pointer) + " example", node.get("example"), schemaPointer));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("examples").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> named = it.next();
          found.add(new Example(describe(pointer) + " examples." + named.getKey(),
              exampleValue(document, named.getValue()), schemaPointer));
        }
      } else if (node.has("example") && isSchema(node)) {
        found.add(new Example(describe(pointer) + " example", node.get("example"), pointer));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String key = field.getKey();
        if (key.equals("example") || key.equals("examples") && (hasSchema || pointer.equals("/components"))) {
          continue; // data, not document structure
        }
        walk(document, field.getValue(), pointer + "/" + escape(key), found);
      }
    } else {
      for (int i = 0; i < node.size(); i++) {
        walk(document, node.get(i), pointer + "/" + i, found);
      }
    }
  }

  /** An Example Object's value, following a $ref to components/examples. */
  private static JsonNode exampleValue(JsonNode document, JsonNode example) {
    JsonNode resolved = example;
    if (example.has("$ref")) {
      String ref = example.get("$ref").asText();
      if (!ref.startsWith("#")) {
        throw new IllegalStateException("only local example references are supported: " + ref);
      }
      resolved = document.at(ref.substring(1));
      if (resolved.isMissingNode()) {
        throw new IllegalStateException("unresolvable example reference " + ref);
      }
    }
    if (!resolved.has("value")) {
      throw new IllegalStateException("example without an inline value (externalValue is not used here): " + example);
    }
    return resolved.get("value");
  }

  private static boolean isSchema(JsonNode node) {
    return node.has("type") || node.has("properties") || node.has("oneOf") || node.has("allOf")
        || node.has("anyOf") || node.has("enum") || node.has("$ref");
  }

  private static String escape(String key) {
    return SpecSchemaPointers.escape(key);
  }

  /** A JSON pointer as a reader would write the place: paths./v3/...post.requestBody... */
  static String describe(String pointer) {
    StringBuilder out = new StringBuilder();
    for (String part : pointer.substring(1).split("/")) {
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(part.replace("~1", "/").replace("~0", "~"));
    }
    return out.toString();
  }
}
