package io.github.wechatpaypartner.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The HTML reference names every operationId, every schema and every error code of the document. */
class HtmlReferenceTest {
  private final JsonNode document = SpecFiles.readTree(SpecFiles.source());

  @Test
  void htmlNamesEveryOperationSchemaAndErrorCode() {
    Path html = SpecFiles.bundleDir().resolve("api-reference.html");
    assertTrue(Files.exists(html), "the build did not produce " + html);
    String page = SpecFiles.read(html);

    Set<String> missing = new TreeSet<>();
    for (String name : expectedNames()) {
      if (!page.contains(name)) {
        missing.add(name);
      }
    }
    assertEquals(Set.of(), missing, "names absent from " + html);
    // Built with --inlineBundle: the Redoc script is inside the page, not fetched from a CDN.
    assertTrue(page.contains("<html") && !page.contains("redoc.standalone.js"),
        "the reference must be one self-contained page");
  }

  private List<String> expectedNames() {
    List<String> names = new java.util.ArrayList<>();
    document.path("paths").forEach(item -> item.forEach(op -> {
      if (op.has("operationId")) {
        names.add(op.get("operationId").asText());
      }
    }));
    document.path("components").path("schemas").fieldNames().forEachRemaining(names::add);
    document.path("components").path("examples").forEach(example -> {
      JsonNode code = example.path("value").path("code");
      if (code.isTextual()) {
        names.add(code.asText());
      }
    });
    return names;
  }
}
