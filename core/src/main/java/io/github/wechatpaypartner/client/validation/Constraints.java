package io.github.wechatpaypartner.client.validation;

import io.github.wechatpaypartner.exception.Violation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks the generated {@code collectViolations} methods call. The generated code passes the
 * limits read from the spec; this class only knows how to check them and how to word a violation.
 */
public final class Constraints {
  private Constraints() {
  }

  /** {@code parent.name}, or {@code name} at the root. */
  public static String path(String parent, String name) {
    return parent == null || parent.isEmpty() ? name : parent + "." + name;
  }

  public static void required(List<Violation> out, String path, Object value) {
    if (value == null) {
      out.add(new Violation(path, "is required", null));
    }
  }

  /** Length, pattern and weighted length of a string (any limit may be {@code null}). */
  public static void string(List<Violation> out, String path, String value, String pattern,
      Integer minLength, Integer maxLength, Integer weightedMaxLength) {
    if (value == null) {
      return;
    }
    int length = value.codePointCount(0, value.length());
    if (minLength != null && length < minLength) {
      out.add(new Violation(path, "length must be >= " + minLength + " (is " + length + ")", value));
    }
    if (maxLength != null && length > maxLength) {
      out.add(new Violation(path, "length must be <= " + maxLength + " (is " + length + ")", value));
    }
    if (weightedMaxLength != null) {
      int weighted = weightedLength(value);
      if (weighted > weightedMaxLength) {
        out.add(new Violation(path, "weighted length (CJK/full-width count 2) must be <= "
            + weightedMaxLength + " (is " + weighted + ")", value));
      }
    }
    // ECMA-262 meaning, unanchored (EcmaPattern): "123\n" does not match ^[0-9]+$.
    if (pattern != null && !EcmaPattern.matches(pattern, value)) {
      out.add(new Violation(path, "must match pattern " + pattern, value));
    }
  }

  /** Minimum/maximum of a number (limits as decimal text, {@code null} when absent). */
  public static void range(List<Violation> out, String path, Number value, String minimum,
      boolean exclusiveMinimum, String maximum, boolean exclusiveMaximum) {
    if (value == null) {
      return;
    }
    BigDecimal v = new BigDecimal(value.toString());
    if (minimum != null) {
      int c = v.compareTo(new BigDecimal(minimum));
      if (c < 0 || (exclusiveMinimum && c == 0)) {
        out.add(new Violation(path, "must be " + (exclusiveMinimum ? "> " : ">= ") + minimum, value.toString()));
      }
    }
    if (maximum != null) {
      int c = v.compareTo(new BigDecimal(maximum));
      if (c > 0 || (exclusiveMaximum && c == 0)) {
        out.add(new Violation(path, "must be " + (exclusiveMaximum ? "< " : "<= ") + maximum, value.toString()));
      }
    }
  }

  /** minItems/maxItems of a list. */
  public static void size(List<Violation> out, String path, int size, Integer minItems, Integer maxItems) {
    if (minItems != null && size < minItems) {
      out.add(new Violation(path, "must have >= " + minItems + " items", size + " items"));
    }
    if (maxItems != null && size > maxItems) {
      out.add(new Violation(path, "must have <= " + maxItems + " items", size + " items"));
    }
  }

  /** An enum constant the spec does not define (the generator's UNKNOWN_DEFAULT_OPEN_API) cannot be sent. */
  public static void knownEnum(List<Violation> out, String path, Object value, boolean unknown, Enum<?>[] constants) {
    if (value == null || !unknown) {
      return;
    }
    List<String> allowed = new ArrayList<>();
    for (Enum<?> c : constants) {
      if (c != value) {
        allowed.add(c.toString());
      }
    }
    out.add(new Violation(path, "must be one of " + allowed, value.toString()));
  }

  /**
   * A time the pages write as {@code YYYY-MM-DDTHH:mm:ss+TIMEZONE}: whole seconds. A fraction would
   * be cut off on the wire, so it is refused rather than silently dropped.
   */
  public static void wholeSeconds(List<Violation> out, String path, java.time.OffsetDateTime value) {
    if (value != null && value.getNano() != 0) {
      out.add(new Violation(path, "must be whole seconds (the format is YYYY-MM-DDTHH:mm:ss+TIMEZONE)",
          value.toString()));
    }
  }

  /**
   * Length where CJK and full-width characters count 2 and every other code point 1 (the rule
   * behind {@code x-wechatpay-weighted-max-length}).
   */
  public static int weightedLength(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      n += isWide(cp) ? 2 : 1;
      i += Character.charCount(cp);
    }
    return n;
  }

  static boolean isWide(int cp) {
    return (cp >= 0x1100 && cp <= 0x115F)      // Hangul Jamo
        || (cp >= 0x2E80 && cp <= 0x303E)      // CJK radicals, Kangxi, CJK symbols and punctuation
        || (cp >= 0x3041 && cp <= 0x33FF)      // Hiragana, Katakana, Bopomofo, CJK compatibility
        || (cp >= 0x3400 && cp <= 0x4DBF)      // CJK extension A
        || (cp >= 0x4E00 && cp <= 0x9FFF)      // CJK unified ideographs
        || (cp >= 0xA000 && cp <= 0xA4CF)      // Yi
        || (cp >= 0xAC00 && cp <= 0xD7A3)      // Hangul syllables
        || (cp >= 0xF900 && cp <= 0xFAFF)      // CJK compatibility ideographs
        || (cp >= 0xFE30 && cp <= 0xFE4F)      // CJK compatibility forms
        || (cp >= 0xFF00 && cp <= 0xFF60)      // full-width forms
        || (cp >= 0xFFE0 && cp <= 0xFFE6)      // full-width signs
        || (cp >= 0x20000 && cp <= 0x3FFFD);   // CJK extensions B and beyond
  }
}
