package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wechatpaypartner.conformance.support.ExamplePaths;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.PrismMock;
import io.github.wechatpaypartner.conformance.support.PrismProcess;
import io.github.wechatpaypartner.conformance.support.RawCall;
import io.github.wechatpaypartner.conformance.support.SpecCalls;
import io.github.wechatpaypartner.conformance.support.RequestMutations.Mutation;
import io.github.wechatpaypartner.conformance.support.RequestMutations;
import io.github.wechatpaypartner.conformance.support.SuiteSandbox;
import io.github.wechatpaypartner.conformance.support.Verdicts;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.junit.SandboxExtension;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The request rules of the spec as Prism enforces them, and the proof that the sandbox's in-process
 * validator agrees with Prism: every request example passes both; every single-rule mutation of an
 * example (required field removed, minLength/maxLength/pattern, enum, minimum/maximum, wrong type,
 * bad date-time) and every oneOf mix is refused by Prism with a 4xx and {@code sl-violations} and
 * by the sandbox with 400 PARAM_ERROR whose detail names the broken field; a path parameter
 * breaking its schema and a text/plain body are refused by both. Raw requests, no typed client.
 * Each verdict pair is kept in target/prism-verdicts.tsv.
 */
@ExtendWith(PrismMock.class)
class RequestRulesTest {
  /** Hundreds of requests in a few seconds: the sandbox's rate limit would answer 429 to some. */
  @RegisterExtension
  static final SandboxExtension SANDBOX = SuiteSandbox.everyOperation(s -> s.rateLimit(false));
  private static final SpecDocument SPEC = SpecDocument.load(ModulePaths.spec());
  private static Sandbox sandbox;

  @BeforeAll
  static void start(Sandbox started) {
    sandbox = started;
  }

  @TestFactory
  Stream<DynamicNode> everyRequestExamplePassesBoth(PrismProcess prism) {
    return SPEC.operations().values().stream().map(op -> DynamicContainer.dynamicContainer(op.operationId,
        SpecCalls.exampleBodies(op).entrySet().stream().map(example -> DynamicTest.dynamicTest(example.getKey(), () -> {
          RawCall.Result prismResult = RawCall.to(prism.baseUri(), op).body(example.getValue()).send();
          sandbox.reset();
          RawCall.Result sandboxResult = toSandbox(op, example.getValue(), c -> c);
          Verdicts.record(op.operationId, "valid example " + example.getKey(), prismResult.status,
              verdict(sandboxResult), prismResult.violations);
          assertTrue(prismResult.status >= 200 && prismResult.status < 300,
              () -> "Prism refuses request example '" + example.getKey() + "' of " + op + ": " + prismResult);
          assertNull(prismResult.violations, "Prism reports violations on a valid example");
          assertTrue(sandboxResult.status >= 200 && sandboxResult.status < 300, () -> "the sandbox refuses request"
              + " example '" + example.getKey() + "' of " + op + ": " + sandboxResult + " " + sandbox.lastExchange());
        }))));
  }

  @TestFactory
  Stream<DynamicNode> everyOperationHasRequestExamples() {
    return SPEC.operations().values().stream().filter(SpecOperation::hasRequestBody).map(op -> DynamicTest.dynamicTest(
        op.operationId, () -> assertFalse(op.requestExamples().isEmpty(), op + " has no request example to test with")));
  }

  @TestFactory
  Stream<DynamicNode> everyOneOfBranchHasAnExample() {
    return SPEC.operations().values().stream()
        .filter(op -> op.requestSchema() != null && op.requestSchema().getOneOf() != null)
        .map(op -> DynamicTest.dynamicTest(op.operationId, () -> {
          List<String> missing = RequestMutations.branchesWithoutExample(op.requestSchema(), op.requestExamples());
          assertTrue(missing.isEmpty(), () -> op + ": oneOf branches without a request example: " + missing);
        }));
  }

  @TestFactory
  Stream<DynamicNode> everySingleRuleMutationIsRefusedByBoth(PrismProcess prism) {
    return SPEC.operations().values().stream().map(op -> DynamicContainer.dynamicContainer(op.operationId,
        op.requestExamples().entrySet().stream().map(example -> DynamicContainer.dynamicContainer(example.getKey(),
            RequestMutations.of(op.requestSchema(), example.getValue()).stream()
                .map(m -> DynamicTest.dynamicTest(m.rule, () -> assertRefused(prism, op, example.getKey(), m)))))));
  }

  @TestFactory
  Stream<DynamicNode> mixedOneOfBranchesAreRefusedByBoth(PrismProcess prism) {
    List<DynamicNode> nodes = new ArrayList<>();
    for (SpecOperation op : SPEC.operations().values()) {
      if (op.requestSchema() == null || op.requestSchema().getOneOf() == null) {
        continue;
      }
      List<Mutation> mixed = RequestMutations.mixedBranches(op.requestSchema(), op.requestExamples());
      nodes.add(DynamicContainer.dynamicContainer(op.operationId, Stream.concat(
          Stream.of(DynamicTest.dynamicTest("has mixes to test",
              () -> assertFalse(mixed.isEmpty(), "no two oneOf branches with examples to mix"))),
          mixed.stream().map(m -> DynamicTest.dynamicTest(m.rule, () -> assertRefused(prism, op, "mixed", m))))));
    }
    return nodes.stream();
  }

  @TestFactory
  Stream<DynamicNode> textPlainBodyIsRefusedByBoth(PrismProcess prism) {
    // A body-less operation has no body whose type to get wrong.
    return SPEC.operations().values().stream().filter(SpecOperation::hasRequestBody).map(op -> DynamicTest.dynamicTest(op.operationId, () -> {
      assertFalse(op.requestContentTypes().contains("text/plain"), "the spec accepts text/plain");
      JsonNode example = op.requestExamples().values().iterator().next();
      RawCall.Result result = RawCall.to(prism.baseUri(), op).body(example).contentType("text/plain").send();
      RawCall.Result sandboxResult = toSandbox(op, example, c -> c.contentType("text/plain"));
      Verdicts.record(op.operationId, "Content-Type text/plain", result.status, verdict(sandboxResult), result.violations);
      assertTrue(result.status >= 400 && result.status < 500, () -> "text/plain body: " + result);
      assertNotNull(result.violations, "Prism gave no sl-violations for text/plain");
      assertEquals(400, sandboxResult.status, sandboxResult::toString);
      assertEquals("Content-Type", sandboxResult.json().path("detail").path("field").asText(), sandboxResult::toString);
    }));
  }

  /**
   * Each single-rule mutation of the path and query parameters (RequestMutations, from their
   * schemas): Prism refuses it, the sandbox answers PARAM_ERROR naming the parameter and where.
   * (A path parameter cannot be left out of a path: those mutations are the client's to refuse.)
   */
  @TestFactory
  Stream<DynamicNode> parameterRulesAreEnforcedByBoth(PrismProcess prism) {
    List<DynamicNode> nodes = new ArrayList<>();
    for (SpecOperation op : SPEC.operations().values()) {
      JsonNode example = SpecCalls.firstExample(op);
      for (String in : List.of("path", "query")) {
        for (Mutation m : RequestMutations.ofParameters(op, in)) {
          Map<String, String> values = RequestMutations.asText(m.body);
          if ("path".equals(in) && (!values.keySet().containsAll(ExamplePaths.of(op).keySet())
              || values.containsValue(""))) {
            continue; // no path without the segment: another route, not this operation's rule
          }
          nodes.add(DynamicTest.dynamicTest(op.operationId + " " + m.rule, () -> {
            Function<RawCall, RawCall> change = c -> {
              if ("path".equals(in)) {
                values.forEach(c::pathParameter);
              } else {
                ExamplePaths.query(op).keySet().forEach(name -> c.queryParameter(name, null));
                values.forEach(c::queryParameter);
              }
              return c;
            };
            RawCall.Result result = change.apply(RawCall.to(prism.baseUri(), op).body(example)).send();
            RawCall.Result sandboxResult = toSandbox(op, example, change);
            Verdicts.record(op.operationId, m.rule, result.status, verdict(sandboxResult), result.violations);
            assertTrue(result.status >= 400 && result.status < 500, () -> m.rule + ": " + result);
            assertNotNull(result.violations, () -> "no sl-violations: " + result);
            assertParamError(sandboxResult, m.fields, in);
          }));
        }
      }
    }
    return nodes.stream();
  }

  private static void assertRefused(PrismProcess prism, SpecOperation op, String exampleName, Mutation m) {
    RawCall.Result result = RawCall.to(prism.baseUri(), op).body(m.body).send();
    RawCall.Result sandboxResult = toSandbox(op, m.body, c -> c);
    Verdicts.record(op.operationId, exampleName + ": " + m.rule, result.status, verdict(sandboxResult), result.violations);
    assertTrue(result.status >= 400 && result.status < 500,
        () -> "Prism did not refuse '" + m.rule + "' with a 4xx (body " + m.body + "): " + result);
    assertNotNull(result.violations, () -> "Prism refused '" + m.rule + "' without sl-violations: " + result);
    assertParamError(sandboxResult, m.fields, "body");
  }

  private static void assertParamError(RawCall.Result result, Set<String> fields, String location) {
    assertEquals(400, result.status, () -> "the sandbox did not refuse it: " + result);
    JsonNode answer = result.json();
    assertEquals(SandboxChecksTest.exampleOf(SPEC.operations().values().iterator().next(), "PARAM_ERROR").path("code"),
        answer.path("code"), answer::toString);
    assertTrue(fields.contains(answer.path("detail").path("field").asText()),
        () -> "detail names a field other than " + fields + ": " + answer);
    assertEquals(location, answer.path("detail").path("location").asText(), answer::toString);
  }

  private static RawCall.Result toSandbox(SpecOperation op, JsonNode body, Function<RawCall, RawCall> change) {
    return change.apply(RawCall.to(sandbox.uri(), op).body(body)).signedWith(sandbox.credentials()).send();
  }

  private static String verdict(RawCall.Result sandboxResult) {
    JsonNode detail = sandboxResult.status < 300 ? null : sandboxResult.json().path("detail");
    return "sandbox " + sandboxResult.status + (detail == null ? "" : " " + sandboxResult.json().path("code").asText()
        + " " + detail.path("location").asText() + " " + detail.path("field").asText());
  }
}
