package io.github.wechatpaypartner.client.generated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An upgrade of the generator cannot silently drift: every template of generator-templates/ that
 * replaces a stock one is recorded in stock-templates.sha256 with the hash of the stock template
 * it was written against, and that hash must still match the pinned generator's copy. A new
 * template (a partial of ours) must not shadow a stock one unrecorded.
 */
class TemplateDriftTest {
  private static final Path TEMPLATES = Paths.get(System.getProperty("templates.dir", "../generator-templates"));

  @Test
  void everyOverrideMatchesTheStockTemplateItWasWrittenAgainst() throws Exception {
    Map<String, String[]> recorded = recorded();
    assertFalse(recorded.isEmpty(), "stock-templates.sha256 lists no override");
    for (Map.Entry<String, String[]> e : recorded.entrySet()) {
      String stockPath = e.getValue()[1];
      byte[] stock = stock(stockPath);
      assertNotNull(stock, stockPath + " is no longer in the pinned generator: re-derive " + e.getKey());
      assertEquals(e.getValue()[0], sha256(stock), "The pinned generator's " + stockPath + " changed since "
          + e.getKey() + " was written against it: diff the two, carry the change into the override,"
          + " then record the new hash in stock-templates.sha256");
    }
  }

  @Test
  void noTemplateShadowsAStockOneUnrecorded() throws Exception {
    Map<String, String[]> recorded = recorded();
    List<String> ours;
    try (Stream<Path> s = Files.list(TEMPLATES)) {
      ours = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".mustache")).sorted()
          .collect(Collectors.toList());
    }
    for (String name : ours) {
      if (recorded.containsKey(name)) {
        continue;
      }
      assertNull(stock("Java/libraries/native/" + name), name + " replaces the stock native template: record it");
      assertNull(stock("Java/" + name), name + " replaces the stock Java template: record it");
    }
  }

  private static Map<String, String[]> recorded() throws IOException {
    Map<String, String[]> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(TEMPLATES.resolve("stock-templates.sha256"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      out.put(f[2], new String[] {f[0], f[1]});
    }
    return out;
  }

  private static byte[] stock(String path) throws IOException {
    try (InputStream in = TemplateDriftTest.class.getClassLoader().getResourceAsStream(path)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    StringBuilder hex = new StringBuilder();
    for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
      hex.append(String.format("%02x", b));
    }
    return hex.toString();
  }
}
