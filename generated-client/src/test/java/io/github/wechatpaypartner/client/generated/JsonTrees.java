package io.github.wechatpaypartner.client.generated;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * Compares two JSON trees exactly, except that numbers compare by value (1 equals 1.0) and two
 * RFC 3339 date-times compare as instants. Returns every difference with its path.
 */
final class JsonTrees {
  private JsonTrees() {
  }

  static List<String> differences(JsonNode expected, JsonNode actual) {
    List<String> out = new ArrayList<>();
    compare("$", expected, actual, out);
    return out;
  }

  private static void compare(String path, JsonNode e, JsonNode a, List<String> out) {
    if (a == null || a.isMissingNode()) {
      out.add(path + ": lost (expected " + e + ")");
      return;
    }
    if (e.isObject() && a.isObject()) {
      TreeSet<String> names = new TreeSet<>();
      e.fieldNames().forEachRemaining(names::add);
      a.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (!e.has(name)) {
          out.add(path + "." + name + ": added (" + a.get(name) + ")");
        } else {
          compare(path + "." + name, e.get(name), a.get(name), out);
        }
      }
    } else if (e.isArray() && a.isArray()) {
      if (e.size() != a.size()) {
        out.add(path + ": " + e.size() + " items became " + a.size());
        return;
      }
      Iterator<JsonNode> ie = e.elements();
      Iterator<JsonNode> ia = a.elements();
      for (int i = 0; ie.hasNext(); i++) {
        compare(path + "[" + i + "]", ie.next(), ia.next(), out);
      }
    } else if (e.isNumber() && a.isNumber()) {
      if (e.decimalValue().compareTo(a.decimalValue()) != 0) {
        out.add(path + ": " + e + " became " + a);
      }
    } else if (e.isTextual() && a.isTextual()) {
      if (!e.asText().equals(a.asText()) && !sameInstant(e.asText(), a.asText())) {
        out.add(path + ": " + e + " became " + a);
      }
    } else if (!e.equals(a)) {
      out.add(path + ": " + e + " became " + a);
    }
  }

  private static boolean sameInstant(String x, String y) {
    try {
      return OffsetDateTime.parse(x).toInstant().equals(OffsetDateTime.parse(y).toInstant());
    } catch (DateTimeParseException notADateTime) {
      return false;
    }
  }
}
