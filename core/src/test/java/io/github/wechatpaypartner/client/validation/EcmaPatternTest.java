package io.github.wechatpaypartner.client.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.exception.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Patterns mean what ECMA-262 (JSON Schema, Prism) means, not what java.util.regex means: the
 * cases below are the ones where the two differ. The conformance suite's PatternAgreementTest
 * checks the same against Prism itself on generated values of every field of the spec.
 */
class EcmaPatternTest {
  /** Every ECMA-262 LineTerminator sequence, and U+0085 which Java also treats as one. */
  static final List<String> LINE_BREAKS = List.of("\n", "\r\n", "\r", "\u2028", "\u2029", "\u0085");
  private static final String OUT_REQUEST_NO = "^[0-9A-Za-z_-]{6,40}$";
  private static final String TIME =
      "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9][+-]([01][0-9]|2[0-3]):[0-5][0-9]$";

  @Test
  void dollarNeverMatchesBeforeATrailingLineBreak() {
    for (String[] p : new String[][] {{OUT_REQUEST_NO, "plan-20250101"}, {"^[0-9]+$", "1554208460"},
        {TIME, "2025-01-01T00:00:00+08:00"}}) {
      assertTrue(EcmaPattern.matches(p[0], p[1]), p[1]);
      for (String lineBreak : LINE_BREAKS) {
        assertFalse(EcmaPattern.matches(p[0], p[1] + lineBreak), () -> p[1] + escape(lineBreak) + " passed " + p[0]);
        assertFalse(EcmaPattern.matches(p[0], lineBreak + p[1]), () -> escape(lineBreak) + p[1] + " passed " + p[0]);
      }
    }
  }

  @Test
  void theClientRefusesATrailingLineBreakNamingTheFieldAndPattern() {
    for (String lineBreak : LINE_BREAKS) {
      List<Violation> out = new ArrayList<>();
      Constraints.string(out, "out_request_no", "plan-20250101" + lineBreak, OUT_REQUEST_NO, 6, 40, null);
      assertEquals(1, out.size(), () -> escape(lineBreak) + ": " + out);
      assertEquals("out_request_no", out.get(0).path());
      assertEquals("must match pattern " + OUT_REQUEST_NO, out.get(0).rule());
    }
  }

  @Test
  void unanchoredPatternsMatchAnywhere() {
    assertTrue(EcmaPattern.matches("abc", "xxabcxx"));
    assertTrue(EcmaPattern.matches("^abc", "abc\n"));
    assertFalse(EcmaPattern.matches("abc$", "abc\n"));
  }

  @Test
  void dotSpaceAndBoundaryAreEcmaScripts() {
    assertTrue(EcmaPattern.matches("^a.c$", "a\u0085c"), "U+0085 is no line terminator in ECMA-262");
    for (String lineTerminator : List.of("\n", "\r", "\u2028", "\u2029")) {
      assertFalse(EcmaPattern.matches("^a.c$", "a" + lineTerminator + "c"), escape(lineTerminator));
    }
    assertTrue(EcmaPattern.matches("^\\s$", "\u3000"), "\\s includes Unicode spaces");
    assertTrue(EcmaPattern.matches("^\\s$", "\uFEFF"));
    assertFalse(EcmaPattern.matches("^\\S$", "\u00A0"));
    assertTrue(EcmaPattern.matches("^[\\s]$", "\u2028"));
    assertTrue(EcmaPattern.matches("^\\v$", "\u000B"));
    assertFalse(EcmaPattern.matches("^\\v$", "\n"), "Java's \\v would match a newline");
    assertTrue(EcmaPattern.matches("a\\bé", "aé"), "é is no word character in ECMA-262");
    assertFalse(EcmaPattern.matches("\\bé", "é"));
    assertTrue(EcmaPattern.matches("^[\\b]$", "\b"));
    assertTrue(EcmaPattern.matches("^\\0$", "\0"));
    assertTrue(EcmaPattern.matches("^\\u{1F600}$", "\uD83D\uDE00"));
  }

  @Test
  void classesAreFlat() {
    assertTrue(EcmaPattern.matches("^[a[]$", "["), "[ inside a class is a literal");
    assertTrue(EcmaPattern.matches("^[a&&b]$", "&"), "&& inside a class is no intersection");
    assertFalse(EcmaPattern.matches("^[a&&b]$", "c"));
    assertFalse(EcmaPattern.matches("[]", "anything"), "[] matches nothing");
    assertTrue(EcmaPattern.matches("^[^]$", "\n"), "[^] matches anything");
    assertTrue(EcmaPattern.matches("^[$.]+$", "$."), "$ and . inside a class are literals");
    assertFalse(EcmaPattern.matches("^[$.]+$", "a"));
  }

  @Test
  void constructsThatWouldMeanSomethingElseAreRefusedAtCompileTime() {
    for (String javaOnly : List.of("a++", "a*+", "(?i)a", "(?>a)", "\\Z", "\\A", "\\z", "\\h", "\\R", "\\Qa\\E", "[a", "a\\")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EcmaPattern.compile(javaOnly), javaOnly);
      assertTrue(e.getMessage().startsWith("pattern " + javaOnly + " "), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> EcmaPattern.compile("(a"), "a syntax error names the pattern");
    assertTrue(EcmaPattern.matches("^a*?b(?:c|d)(?=e)e(?<n>f)\\k<n>$", "aabdeff"), "what both share compiles");
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(c -> b.append(String.format("\\u%04X", c)));
    return b.toString();
  }
}
