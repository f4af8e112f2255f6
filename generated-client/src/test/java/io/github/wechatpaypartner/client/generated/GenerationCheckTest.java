package io.github.wechatpaypartner.client.generated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.client.model.AbstractOpenApiSchema;
import io.github.wechatpaypartner.client.validation.Validatable;
import io.swagger.v3.oas.models.Operation;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Cheap checks of the generator's output: a broken template shows up here first. */
class GenerationCheckTest {
  private static final String BASE = "io.github.wechatpaypartner.client";

  @Test
  void expectedClassesExist() throws Exception {
    for (String name : List.of("SpecCatalog", "api.DeliveryPlanApi", "api.ProductCouponApi",
        "model.CreateDeliveryPlanRequest", "model.CreateDeliveryPlanResponse", "model.AddStockBundleRequest",
        "model.AddStockBundleResponse", "model.UpdateStockBudgetRequest", "model.UpdateMaxCountBudget",
        "model.UpdateMaxCountPerDayBudget", "model.Stock", "model.ErrorResponse")) {
      Class<?> c = Class.forName(BASE + "." + name);
      if (name.startsWith("model.")) {
        assertTrue(Validatable.class.isAssignableFrom(c) || AbstractOpenApiSchema.class.isAssignableFrom(c),
            name + " must be Validatable (or a oneOf wrapper, validated through the variant it holds)");
      }
    }
  }

  @Test
  void everyOperationHasSyncAndAsyncMethodsInItsTagsApi() throws Exception {
    for (Map.Entry<String, Operation> op : SpecSupport.operations().entrySet()) {
      Method sync = SpecSupport.apiMethod(op.getKey());
      Class<?> api = sync.getDeclaringClass();
      Method async = api.getMethod(op.getKey() + "Async", sync.getParameterTypes());
      assertEquals(CompletableFuture.class, async.getReturnType());
    }
  }

  @Test
  void onlySourcesAreGeneratedAndNoJsonNullable() throws Exception {
    Path dir = SpecSupport.generatedDir();
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).collect(Collectors.toList());
    }
    assertFalse(files.isEmpty(), "nothing generated under " + dir);
    for (Path f : files) {
      String rel = dir.relativize(f).toString().replace('\\', '/');
      assertTrue(rel.startsWith("src/main/java/") || rel.startsWith(".openapi-generator")
          || rel.equals("src/main/resources/META-INF/wechatpay-partner-client/provenance.properties"),
          "unexpected generated file " + rel);
      if (rel.endsWith(".java")) {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        assertFalse(text.contains("JsonNullable") || text.contains("org.openapitools.jackson.nullable"), rel);
        assertFalse(text.contains("\n\n\n"), rel + " has a run of empty lines");
        assertFalse(java.util.regex.Pattern.compile("[ \t]$", java.util.regex.Pattern.MULTILINE).matcher(text).find(),
            rel + " has trailing blanks");
      }
    }
  }

  @Test
  void provenanceNamesTheGeneratorAndTheSpec() throws Exception {
    Properties p = new Properties();
    try (InputStream in = getClass().getResourceAsStream("/META-INF/wechatpay-partner-client/provenance.properties")) {
      assertNotNull(in, "provenance.properties is not on the classpath");
      p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
    }
    StringBuilder sha = new StringBuilder();
    for (byte b : MessageDigest.getInstance("SHA-256").digest(SpecSupport.specBytes())) {
      sha.append(String.format("%02x", b));
    }
    assertEquals(sha.toString(), p.getProperty("spec.sha256"));
    assertEquals(SpecSupport.openApi().getInfo().getVersion(), p.getProperty("spec.version"));
    String version = Files.readString(SpecSupport.generatedDir().resolve(".openapi-generator/VERSION")).trim();
    assertEquals(version, p.getProperty("generator.version"));
    assertEquals(p.getProperty("spec.version"), io.github.wechatpaypartner.client.SpecCatalog.SPEC_VERSION);
  }
}
