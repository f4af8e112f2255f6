package io.github.wechatpaypartner.spec;

import com.fasterxml.jackson.databind.JsonNode;

/** JSON pointers into the document: escaping, and following local $refs to the object they name. */
final class SpecSchemaPointers {
  private SpecSchemaPointers() {
  }

  static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  /** The pointer of the object that {@code pointer} names once its $refs are followed. */
  static String deref(JsonNode doc, String pointer) {
    String current = pointer;
    JsonNode node = doc.at(current);
    for (int hops = 0; node.has("$ref"); hops++) {
      String ref = node.get("$ref").asText();
      if (!ref.startsWith("#") || hops > 32) {
        throw new IllegalStateException("cannot follow $ref " + ref + " at " + current);
      }
      current = ref.substring(1);
      node = doc.at(current);
    }
    if (node.isMissingNode()) {
      throw new IllegalStateException("nothing at " + current);
    }
    return current;
  }
}
