package io.github.wechatpaypartner.client.validation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A JSON Schema {@code pattern} with the meaning the spec gives it: ECMA-262 (as Prism's Ajv runs
 * it, {@code new RegExp(p, "u")}), unanchored, translated once into a {@link Pattern} that means
 * the same. {@code java.util.regex} differs where it matters for input checks: its {@code $}
 * also matches before a final line terminator ({@code \n}, {@code \r\n}, {@code \r}, U+0085,
 * U+2028, U+2029), so {@code ^[0-9]+$} would accept {@code "123\n"}; its {@code .} refuses U+0085;
 * its {@code \s} is ASCII; {@code [} and {@code &&} inside a class nest and intersect. The client
 * ({@link Constraints}) and the sandbox's schema validator both judge patterns here. A construct
 * whose meaning differs and is not translated (possessive quantifiers, inline flags, Java-only
 * escapes) is refused when compiled, never silently read the Java way.
 */
public final class EcmaPattern {
  private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();
  /** ECMA-262 WhiteSpace and LineTerminator: what {@code \s} matches. */
  private static final String SPACE =
      "\\t\\n\\x0B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF";
  /** ECMA-262 LineTerminator: what {@code .} does not match. */
  private static final String ANY_BUT_LINE_TERMINATOR = "[^\\n\\r\\u2028\\u2029]";
  private static final String WORD = "[A-Za-z0-9_]";
  private static final String BOUNDARY = "(?:(?<=" + WORD + ")(?!" + WORD + ")|(?<!" + WORD + ")(?=" + WORD + "))";
  private static final String NOT_BOUNDARY = "(?:(?<=" + WORD + ")(?=" + WORD + ")|(?<!" + WORD + ")(?!" + WORD + "))";
  /** Escapes that mean the same in both (with the {@code u} flag), copied as they are. */
  private static final String SAME_ESCAPES = "dDwWfnrtxcpPk123456789^$\\.*+?()[]{}|/-";

  private EcmaPattern() {
  }

  /** The compiled form of {@code ecma} (cached: the spec has a handful of patterns). */
  public static Pattern compile(String ecma) {
    return COMPILED.computeIfAbsent(ecma, p -> {
      try {
        return Pattern.compile(toJava(p));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("pattern " + p + " is not a valid regular expression: "
            + e.getDescription(), e);
      }
    });
  }

  /** JSON Schema's test: does {@code pattern} match anywhere in {@code value}. */
  public static boolean matches(String pattern, String value) {
    return compile(pattern).matcher(value).find();
  }

  /** The {@code java.util.regex} source meaning what {@code ecma} means. */
  static String toJava(String ecma) {
    StringBuilder out = new StringBuilder(ecma.length() + 16);
    boolean inClass = false;
    boolean afterQuantifier = false;
    int i = 0;
    while (i < ecma.length()) {
      char c = ecma.charAt(i);
      if (c == '\\') {
        if (i + 1 == ecma.length()) {
          throw unsupported(ecma, "a trailing backslash");
        }
        char e = ecma.charAt(i + 1);
        i += 2;
        afterQuantifier = false;
        if (e == 's' || e == 'S') {
          // A class inside a class is a union in Java, so this also holds inside [...].
          out.append(e == 's' ? "[" : "[^").append(SPACE).append(']');
        } else if (e == 'v') {
          out.append("\\x0B");                      // Java's \v is a whole class of vertical space
        } else if (e == 'b') {
          out.append(inClass ? "\\x08" : BOUNDARY);   // [\b] is backspace in ECMA-262
        } else if (e == 'B' && !inClass) {
          out.append(NOT_BOUNDARY);
        } else if (e == '0' && (i == ecma.length() || !Character.isDigit(ecma.charAt(i)))) {
          out.append("\\x00");
        } else if (e == 'u' && i < ecma.length() && ecma.charAt(i) == '{') {
          out.append("\\x");                        // \\u{1F600} is Java's \\x{1F600}
        } else if (e == 'u' || SAME_ESCAPES.indexOf(e) >= 0) {
          out.append('\\').append(e);
        } else {
          throw unsupported(ecma, "the escape \\" + e);
        }
        continue;
      }
      i++;
      if (inClass) {
        if (c == ']') {
          inClass = false;
          out.append(c);
        } else if (c == '[' || c == '&') {
          out.append('\\').append(c);               // literal in ECMA-262; nesting, intersection in Java
        } else {
          out.append(c);
        }
        continue;
      }
      if (c == '+' && afterQuantifier) {
        throw unsupported(ecma, "a possessive quantifier");
      }
      afterQuantifier = c == '*' || c == '+' || c == '?' || c == '}';
      switch (c) {
        case '$':
          out.append("\\z");                          // end of input only, never before a final line break
          break;
        case '.':
          out.append(ANY_BUT_LINE_TERMINATOR);
          break;
        case '[':
          if (ecma.startsWith("]", i)) {
            out.append("(?!)");                       // [] matches nothing
            i++;
          } else if (ecma.startsWith("^]", i)) {
            out.append("[\\s\\S]");                   // [^] matches anything
            i += 2;
          } else {
            inClass = true;
            out.append('[');
            if (ecma.startsWith("^", i)) {
              out.append('^');
              i++;
            }
          }
          break;
        case '(':
          if (ecma.startsWith("?", i) && !(ecma.startsWith("?:", i) || ecma.startsWith("?=", i)
              || ecma.startsWith("?!", i) || ecma.startsWith("?<", i))) {
            throw unsupported(ecma, "the group (" + ecma.substring(i, Math.min(ecma.length(), i + 2)));
          }
          out.append(c);
          break;
        default:
          out.append(c);
      }
    }
    if (inClass) {
      throw unsupported(ecma, "an unclosed [");
    }
    return out.toString();
  }

  private static IllegalArgumentException unsupported(String pattern, String what) {
    return new IllegalArgumentException("pattern " + pattern + " uses " + what
        + ", which ECMA-262 (JSON Schema's pattern syntax) does not allow or which would mean"
        + " something else in java.util.regex");
  }
}
