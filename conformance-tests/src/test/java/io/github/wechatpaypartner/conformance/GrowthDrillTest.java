package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.client.runtime.RetryPolicy;
import io.github.wechatpaypartner.conformance.support.ClientGenerator;
import io.github.wechatpaypartner.conformance.support.DrillNotes;
import io.github.wechatpaypartner.conformance.support.GrowthSpec;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.RawCall;
import io.github.wechatpaypartner.conformance.support.SpecCalls;
import io.github.wechatpaypartner.conformance.support.SpecDrivenSuite;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SandboxCredentials;
import io.github.wechatpaypartner.sandbox.SandboxKeys;
import io.github.wechatpaypartner.sandbox.SandboxSettings;
import io.github.wechatpaypartner.signing.notification.ApiV3Key;
import io.github.wechatpaypartner.signing.notification.Notification;
import io.github.wechatpaypartner.signing.notification.NotificationParser;
import io.github.wechatpaypartner.spec.SpecDocument;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.testkit.ResourceEncryptor;
import io.github.wechatpaypartner.testkit.ServiceSigner;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

/**
 * The growth drill: the spec grows as a new WeChat Pay page makes it grow (a body-less GET with
 * path and query parameters, a POST with a new request schema under a new tag, a DELETE answered
 * 204, an optional answer field, a new notification event; {@link GrowthSpec}), on a scratch copy
 * under {@code target/}, and the client, the sandbox and the spec-driven suite follow with no Java
 * edited: the client is generated from the grown spec with the build's own generator options and
 * compiled with the hand-written client code, the sandbox starts on the grown spec, and
 * {@link SpecDrivenSuite} runs on every operation (the new POST with state from one class,
 * {@link DrillNotes}, the GET and DELETE answered from the spec's examples). Each step is a test named after it, so a change
 * that breaks growth fails here naming the step; a step after a failed one fails naming that one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrowthDrillTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
  /** The spec's PARAM_ERROR code, read in step 8. */
  private String paramErrorCode;
  private final Path work = ModulePaths.moduleDir().resolve("target/growth-drill");
  private final ClientGenerator generator = new ClientGenerator(ModulePaths.moduleDir().resolveSibling("generated-client"), work);
  private String failed;
  private Path scratch;
  private Path sources;
  private URLClassLoader loader;
  private SpecCalls calls;
  private Sandbox sandbox;
  private Object client;

  @TestFactory
  Stream<DynamicNode> theSpecGrowsAndEverythingFollowsWithNoJavaEdited() {
    return Stream.of(
        step("1 grow a scratch copy of the spec", () ->
            scratch = GrowthSpec.write(ModulePaths.spec(), work.resolve("openapi.yaml"))),
        step("2 generate the client from it with generated-client/pom.xml's generator options", () ->
            sources = generator.generate(scratch)),
        step("3 compile it with the hand-written client code", () -> {
          loader = ClientGenerator.loader(generator.compile(sources));
          calls = new SpecCalls(loader);
        }),
        step("4 the generated client has the new methods, types and field", this::newMethods),
        step("5 start the sandbox on the grown spec; its banner names every operation", this::startSandbox),
        DynamicContainer.dynamicContainer("6 the spec-driven suite on every operation of the grown spec",
            Stream.of(0).flatMap(i -> {
              require("6");
              return new SpecDrivenSuite(SpecDocument.load(scratch), sandbox, () -> client, calls, false).all().stream();
            })),
        step("7 the new notification event is verified, decrypted and read into its new model", this::newEvent),
        step("8 the sandbox checks and answers the new operations by itself (raw requests)", this::sandboxAlone),
        step("9 the sandbox starts on a spec with none of the pages' operations and no notifications", this::otherSpec));
  }

  private DynamicTest step(String name, Executable body) {
    return DynamicTest.dynamicTest(name, () -> {
      require(name);
      try {
        body.execute();
      } catch (Throwable t) {
        failed = name;
        throw t;
      }
    });
  }

  private void require(String step) {
    if (failed != null) {
      fail("not run: growth broke at step '" + failed + "'");
    }
  }

  private void newMethods() throws Exception {
    Class<?> clientType = loader.loadClass("io.github.wechatpaypartner.WechatPayClient");
    Method get = calls.method(clientType, GrowthSpec.GET);
    assertEquals(List.of("String", "String", "Integer"), simpleNames(get.getParameterTypes()), "GET path, query, query");
    assertEquals("DeliveryPlan", get.getReturnType().getSimpleName());
    assertEquals(void.class, calls.method(clientType, GrowthSpec.DELETE).getReturnType(), "a 204 answers nothing");
    assertEquals("DrillNoteRequest", calls.method(clientType, GrowthSpec.POST).getParameterTypes()[0].getSimpleName());
    get.getReturnType().getMethod("getDrillRemark");
    for (String op : List.of(GrowthSpec.GET, GrowthSpec.POST, GrowthSpec.DELETE)) {
      Method sync = calls.method(clientType, op);
      sync.getDeclaringClass().getMethod(op + "Async", sync.getParameterTypes());
    }
  }

  private void startSandbox() throws Exception {
    // Switchover key mode: downloadCertificates answers its certificates like any other operation.
    sandbox = Sandbox.start(SandboxSettings.builder().spec(scratch).keyMode(SandboxKeys.Mode.BOTH).build());
    SandboxCredentials c = sandbox.credentials();
    Object builder = loader.loadClass("io.github.wechatpaypartner.WechatPayClient").getMethod("builder").invoke(null);
    Class<?> b = builder.getClass();
    b.getMethod("mchid", String.class).invoke(builder, c.mchid());
    b.getMethod("merchantSerial", String.class).invoke(builder, c.merchantSerial());
    b.getMethod("privateKey", PrivateKey.class).invoke(builder, c.merchantPrivateKey().orElseThrow());
    b.getMethod("wechatpayPublicKey", String.class, PublicKey.class)
        .invoke(builder, c.wechatpayPublicKeyId(), c.wechatpayKeys().getPublic());
    b.getMethod("apiV3Key", String.class).invoke(builder, c.apiV3Key());
    b.getMethod("hosts", URI[].class).invoke(builder, (Object) new URI[] {sandbox.uri()});
    b.getMethod("retryPolicy", RetryPolicy.class).invoke(builder,
        RetryPolicy.builder().baseDelay(Duration.ofMillis(1)).maxDelay(Duration.ofMillis(5)).build());
    client = b.getMethod("build").invoke(builder);
    String summary = sandbox.specSummary();
    assertTrue(summary.contains(sandbox.spec().shortHash()) && summary.contains("-drill"), summary);
    for (String op : List.of(GrowthSpec.GET, GrowthSpec.DELETE)) {
      assertTrue(summary.contains("   " + op + "  "), () -> op + " not listed as answered from examples: " + summary);
    }
    // createDrillNote has state from one class on the classpath (DrillNotes), the three of the pages their own.
    for (String op : List.of(GrowthSpec.POST, "createDeliveryPlan")) {
      assertTrue(summary.contains("* " + op + "  "), () -> op + " not listed as modelled: " + summary);
    }
  }

  private void newEvent() throws Exception {
    SandboxCredentials c = sandbox.credentials();
    JsonNode resource = SpecDocument.load(scratch).tree().at("/components/schemas/" + GrowthSpec.EVENT_RESOURCE + "/example");
    String nonce = "drill0nonce1";
    ObjectNode envelope = JSON.createObjectNode().put("id", "EV-drill-1").put("create_time", "2025-01-01T10:00:01+08:00")
        .put("event_type", GrowthSpec.EVENT).put("resource_type", "encrypt-resource").put("summary", "drill");
    envelope.putObject("resource").put("original_type", "drill_note").put("algorithm", "AEAD_AES_256_GCM")
        .put("associated_data", "drill_note").put("nonce", nonce)
        .put("ciphertext", new ResourceEncryptor(ApiV3Key.of(c.apiV3Key())).encrypt(resource.toString(), nonce, "drill_note"));
    byte[] body = JSON.writeValueAsBytes(envelope);
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(new ServiceSigner(c.wechatpayKeys().getPrivate(), c.wechatpayPublicKeyId(), Clock.systemUTC()).headers(body));
    Notification n = ((Optional<?>) client.getClass().getMethod("notificationParser").invoke(client))
        .map(NotificationParser.class::cast).orElseThrow().parse(headers, body);
    assertEquals(GrowthSpec.EVENT_RESOURCE, n.knownType().map(Class::getSimpleName).orElse("none"), "the event's model");
    assertEquals(resource, calls.tree(n.resource()), "the typed resource holds what was sent");
  }

  private void sandboxAlone() {
    SpecDocument grown = SpecDocument.load(scratch);
    SpecOperation get = grown.operation(GrowthSpec.GET);
    SpecOperation delete = grown.operation(GrowthSpec.DELETE);
    SandboxCredentials c = sandbox.credentials();
    paramErrorCode = SandboxChecksTest.exampleOf(get, "PARAM_ERROR").path("code").asText();
    assertParamError(RawCall.to(sandbox.uri(), get).queryParameter("brand_id", null).signedWith(c).send(), "brand_id", "query");
    assertParamError(RawCall.to(sandbox.uri(), get).queryParameter("limit", "101").signedWith(c).send(), "limit", "query");
    assertParamError(RawCall.to(sandbox.uri(), get).body(JSON.createObjectNode().put("x", 1)).signedWith(c).send(), "/", "body");
    assertParamError(RawCall.to(sandbox.uri(), delete).pathParameter("note_id", "x#").signedWith(c).send(), "note_id", "path");

    RawCall.Result found = RawCall.to(sandbox.uri(), get).pathParameter("plan_id", "987").signedWith(c).send();
    assertEquals(200, found.status, found::toString);
    assertEquals("987", found.json().path("plan_id").asText(), "the path value echoed into the field of its name");
    assertEquals(get.parameterExamples("query").get("brand_id"), found.json().path("brand_id").asText(), "the query value too");
    assertEquals(Optional.of("spec-example"), found.response.headers().firstValue("Wechatpay-Sandbox-Answer"));
    SpecOperation post = grown.operation(GrowthSpec.POST);
    JsonNode note = post.requestExamples().values().iterator().next();
    RawCall.Result first = RawCall.to(sandbox.uri(), post).body(note).signedWith(c).send();
    RawCall.Result again = RawCall.to(sandbox.uri(), post).body(note).signedWith(c).send();
    assertEquals(first.json().path("note_id"), again.json().path("note_id"), "DrillNotes keeps its notes by out_request_no");
    assertTrue(first.response.headers().firstValue("Wechatpay-Sandbox-Answer").isEmpty(), "a modelled answer is not marked");
    assertParamError(RawCall.to(sandbox.uri(), post).body(((ObjectNode) note.deepCopy()).put("note", DrillNotes.REFUSED))
        .signedWith(c).send(), "/note", "body");
    RawCall.Result deleted = RawCall.to(sandbox.uri(), delete).signedWith(c).send();
    assertEquals(204, deleted.status, deleted::toString);
    assertEquals("", deleted.body);
    assertTrue(deleted.response.headers().firstValue("Wechatpay-Signature").isPresent(), "a 204 is signed too");
    assertEquals(List.of(), sandbox.offSpec(), "the sandbox sent something off-spec");
  }

  private void otherSpec() throws Exception {
    ObjectNode tree = (ObjectNode) YAML.readTree(scratch.toFile());
    ObjectNode paths = (ObjectNode) tree.get("paths");
    paths.retain("/v3/marketing/partner/delivery-plan/delivery-plans/{plan_id}");
    tree.remove("x-webhooks");
    Path only = work.resolve("only-get.yaml");
    YAML.writeValue(only.toFile(), tree);
    try (Sandbox other = Sandbox.start(SandboxSettings.builder().spec(only).build())) {
      assertEquals(List.of(), other.state().modelledOperations().stream().collect(java.util.stream.Collectors.toList()));
      assertTrue(other.specSummary().contains("1 operations"), other::specSummary);
      RawCall.Result found = RawCall.to(other.uri(), SpecDocument.load(only).operation(GrowthSpec.GET))
          .signedWith(other.credentials()).send();
      assertEquals(200, found.status, found::toString);
      assertEquals(List.of(), other.offSpec());
    }
  }

  private void assertParamError(RawCall.Result result, String field, String location) {
    assertEquals(400, result.status, result::toString);
    assertEquals(paramErrorCode, result.json().path("code").asText(), result::toString);
    assertEquals(field, result.json().path("detail").path("field").asText(), result::toString);
    assertEquals(location, result.json().path("detail").path("location").asText(), result::toString);
  }

  private static List<String> simpleNames(Class<?>[] types) {
    return Stream.of(types).map(Class::getSimpleName).collect(java.util.stream.Collectors.toList());
  }

  @AfterAll
  void stop() throws Exception {
    if (sandbox != null) {
      sandbox.close();
    }
    if (loader != null) {
      loader.close();
    }
  }
}
