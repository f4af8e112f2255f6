package io.github.wechatpaypartner.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Swagger Parser must read the document without a single error or warning. */
class SpecParsesCleanlyTest {

  @Test
  void swaggerParserReportsNothing() {
    assertClean(SpecFiles.source());
  }

  @Test
  void bundlesParseCleanlyToo() {
    assertClean(SpecFiles.bundleDir().resolve("openapi.yaml"));
    assertClean(SpecFiles.bundleDir().resolve("openapi.json"));
  }

  static void assertClean(Path file) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readLocation(file.toUri().toString(), null, options);
    List<String> messages = result.getMessages();
    // Each message names its location, e.g. "attribute paths.'/v3/...'(post).responses.200.x is unexpected".
    assertEquals(List.of(), messages == null ? List.of() : messages,
        () -> "Swagger Parser found problems in " + file + ":\n  " + String.join("\n  ", messages));
    assertNotNull(result.getOpenAPI(), "Swagger Parser could not read " + file);
  }
}
