package io.github.wechatpaypartner.benchmarks;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request model filled through its setters, as a user fills one in code, from a flat JSON
 * example (members that are strings, integers, booleans or null). The cold-start JVM builds its
 * request this way rather than with Jackson: a user does not read a model from JSON, and the
 * official SDK's side (a JSON string) pays nothing for its request either. {@link SmokeCheck}
 * proves the result equals the model Jackson reads from the same example.
 */
public final class InCodeModel {
  private InCodeModel() {
  }

  public static <T> T fill(Class<T> type, String json) throws ReflectiveOperationException {
    T model = type.getConstructor().newInstance();
    for (Map.Entry<String, Object> member : new FlatJson(json).members().entrySet()) {
      if (member.getValue() == null) {
        continue;
      }
      Method setter = setter(type, "set" + camel(member.getKey()));
      setter.invoke(model, convert(member.getValue(), setter.getParameterTypes()[0], member.getKey()));
    }
    return model;
  }

  private static Method setter(Class<?> type, String name) throws NoSuchMethodException {
    for (Method m : type.getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == 1) {
        return m;
      }
    }
    throw new NoSuchMethodException(type.getSimpleName() + "." + name);
  }

  private static Object convert(Object value, Class<?> to, String member) throws ReflectiveOperationException {
    String text = value.toString();
    if (to == String.class) {
      return text;
    }
    if (to == Long.class || to == long.class) {
      return Long.valueOf(text);
    }
    if (to == Integer.class || to == int.class) {
      return Integer.valueOf(text);
    }
    if (to == Boolean.class || to == boolean.class) {
      return Boolean.valueOf(text);
    }
    if (to == OffsetDateTime.class) { // the models of the baseline build (8cff38d)
      return OffsetDateTime.parse(text);
    }
    if (to.isEnum()) {
      Method fromValue = to.getMethod("fromValue", String.class);
      if (Modifier.isStatic(fromValue.getModifiers())) {
        return fromValue.invoke(null, text);
      }
    }
    throw new IllegalArgumentException(member + ": no in-code conversion to " + to.getSimpleName());
  }

  /** {@code out_request_no} to {@code OutRequestNo}. */
  private static String camel(String name) {
    StringBuilder out = new StringBuilder();
    boolean upper = true;
    for (char c : name.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  /** One flat JSON object: member names to String, Long, Boolean or null values. */
  private static final class FlatJson {
    private final String text;
    private int at;

    FlatJson(String text) {
      this.text = text;
    }

    Map<String, Object> members() {
      Map<String, Object> members = new LinkedHashMap<>();
      expect('{');
      if (peek() == '}') {
        at++;
        return members;
      }
      do {
        String name = string();
        expect(':');
        members.put(name, value(name));
      } while (next() == ',');
      at--;
      expect('}');
      return members;
    }

    private Object value(String name) {
      char c = peek();
      if (c == '"') {
        return string();
      }
      for (String literal : new String[] {"true", "false", "null"}) {
        if (text.startsWith(literal, at)) {
          at += literal.length();
          return literal.equals("null") ? null : Boolean.valueOf(literal);
        }
      }
      int start = at;
      while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '-')) {
        at++;
      }
      if (start == at) {
        throw new IllegalArgumentException(name + ": not a flat example (a string, integer, boolean or null)");
      }
      return Long.valueOf(text.substring(start, at));
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      for (char c = text.charAt(at++); c != '"'; c = text.charAt(at++)) {
        if (c == '\\') {
          char e = text.charAt(at++);
          switch (e) {
            case 'n': out.append('\n'); break;
            case 't': out.append('\t'); break;
            case 'r': out.append('\r'); break;
            case 'b': out.append('\b'); break;
            case 'f': out.append('\f'); break;
            case 'u': out.append((char) Integer.parseInt(text.substring(at, at + 4), 16)); at += 4; break;
            default: out.append(e);
          }
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }

    private char peek() {
      while (Character.isWhitespace(text.charAt(at))) {
        at++;
      }
      return text.charAt(at);
    }

    private char next() {
      char c = peek();
      at++;
      return c;
    }

    private void expect(char c) {
      if (next() != c) {
        throw new IllegalArgumentException("expected '" + c + "' at " + (at - 1) + " of " + text);
      }
    }
  }
}
