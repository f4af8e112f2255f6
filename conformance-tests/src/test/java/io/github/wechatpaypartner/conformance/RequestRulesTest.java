package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wechatpaypartner.conformance.support.PrismMock;
import io.github.wechatpaypartner.conformance.support.PrismProcess;
import io.github.wechatpaypartner.conformance.support.RawCall;
import io.github.wechatpaypartner.conformance.support.RequestMutations;
import io.github.wechatpaypartner.conformance.support.RequestMutations.Mutation;
import io.github.wechatpaypartner.conformance.support.SchemaCheck;
import io.github.wechatpaypartner.spec.SpecDocument;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.conformance.support.Verdicts;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The request rules of the spec as Prism enforces them, checked with raw requests (no typed
 * client, no simulator): every request example passes; every single-rule mutation of an example
 * is refused with a 4xx and an {@code sl-violations} header; a oneOf body mixing two branches is
 * refused; a body sent as text/plain is refused. networknt json-schema-validator must agree on the
 * very same bodies, so a Prism quirk (oneOf false positives, Prism issues 2469 and 2623) shows up
 * as a disagreement rather than as a silently wrong spec.
 */
@ExtendWith(PrismMock.class)
class RequestRulesTest {
  private final SpecDocument spec = SpecDocument.load(ModulePaths.spec());

  @TestFactory
  Stream<DynamicNode> everyRequestExamplePasses(PrismProcess prism) {
    return spec.operations().values().stream().map(op -> DynamicContainer.dynamicContainer(op.operationId,
        op.requestExamples().entrySet().stream().map(example -> DynamicTest.dynamicTest(example.getKey(), () -> {
          List<String> schemaErrors = SchemaCheck.errors(spec.path(), op.requestSchemaPointer(), example.getValue());
          RawCall.Result result = RawCall.to(prism.baseUri(), op).body(example.getValue()).send();
          Verdicts.record(op.operationId, "valid example " + example.getKey(), result.status,
              schemaErrors.isEmpty() ? "valid" : "invalid " + schemaErrors, result.violations);
          assertTrue(schemaErrors.isEmpty(),
              () -> "JSON Schema validator refuses request example '" + example.getKey() + "': " + schemaErrors);
          assertTrue(result.status >= 200 && result.status < 300,
              () -> "Prism refuses request example '" + example.getKey() + "' of " + op + ": " + result);
          assertEquals(null, result.violations, "Prism reports violations on a valid example");
        }))));
  }

  @TestFactory
  Stream<DynamicNode> everyOperationHasRequestExamples() {
    return spec.operations().values().stream().map(op -> DynamicTest.dynamicTest(op.operationId,
        () -> assertFalse(op.requestExamples().isEmpty(), op + " has no request example to test with")));
  }

  @TestFactory
  Stream<DynamicNode> everyOneOfBranchHasAnExample() {
    return spec.operations().values().stream()
        .filter(op -> op.requestSchema() != null && op.requestSchema().getOneOf() != null)
        .map(op -> DynamicTest.dynamicTest(op.operationId, () -> {
          List<String> missing = RequestMutations.branchesWithoutExample(op.requestSchema(), op.requestExamples());
          assertTrue(missing.isEmpty(), () -> op + ": oneOf branches without a request example: " + missing);
        }));
  }

  @TestFactory
  Stream<DynamicNode> everySingleRuleMutationIsRefused(PrismProcess prism) {
    return spec.operations().values().stream().map(op -> DynamicContainer.dynamicContainer(op.operationId,
        op.requestExamples().entrySet().stream().map(example -> DynamicContainer.dynamicContainer(example.getKey(),
            RequestMutations.of(op.requestSchema(), example.getValue()).stream()
                .map(m -> DynamicTest.dynamicTest(m.rule, () -> assertRefused(prism, op, example.getKey(), m)))))));
  }

  @TestFactory
  Stream<DynamicNode> mixedOneOfBranchesAreRefused(PrismProcess prism) {
    List<DynamicNode> nodes = new ArrayList<>();
    for (SpecOperation op : spec.operations().values()) {
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
  Stream<DynamicNode> textPlainBodyIsRefused(PrismProcess prism) {
    return spec.operations().values().stream().map(op -> DynamicTest.dynamicTest(op.operationId, () -> {
      assertFalse(op.requestContentTypes().contains("text/plain"), "the spec accepts text/plain");
      Map.Entry<String, JsonNode> example = op.requestExamples().entrySet().iterator().next();
      RawCall.Result result = RawCall.to(prism.baseUri(), op).body(example.getValue())
          .contentType("text/plain").send();
      Verdicts.record(op.operationId, "Content-Type text/plain", result.status, "n/a", result.violations);
      assertTrue(result.status >= 400 && result.status < 500, () -> "text/plain body: " + result);
      assertNotNull(result.violations, "Prism gave no sl-violations for text/plain");
    }));
  }

  @TestFactory
  Stream<DynamicNode> pathParameterRulesAreEnforced(PrismProcess prism) {
    List<DynamicNode> nodes = new ArrayList<>();
    for (SpecOperation op : spec.operations().values()) {
      JsonNode example = op.requestExamples().values().iterator().next();
      for (Parameter p : op.parameters()) {
        if (!"path".equals(p.getIn()) || p.getSchema() == null) {
          continue;
        }
        String valid = op.pathParameterExample(p.getName());
        Map<String, String> broken = new LinkedHashMap<>();
        if (p.getSchema().getMaxLength() != null) {
          broken.put("longer than maxLength " + p.getSchema().getMaxLength(),
              valid + "1".repeat(p.getSchema().getMaxLength() + 1 - valid.length()));
        }
        if (p.getSchema().getPattern() != null) {
          broken.put("with '#' refused by pattern " + p.getSchema().getPattern(), valid + "#");
        }
        broken.forEach((rule, value) -> nodes.add(DynamicTest.dynamicTest(op.operationId + " " + p.getName() + " " + rule, () -> {
          RawCall.Result result = RawCall.to(prism.baseUri(), op).pathParameter(p.getName(), value).body(example).send();
          Verdicts.record(op.operationId, "path " + p.getName() + " " + rule, result.status, "n/a", result.violations);
          assertTrue(result.status >= 400 && result.status < 500, () -> "path " + p.getName() + "=" + value + ": " + result);
          assertNotNull(result.violations, () -> "no sl-violations: " + result);
        })));
      }
    }
    return nodes.stream();
  }

  private void assertRefused(PrismProcess prism, SpecOperation op, String exampleName, Mutation m) {
    List<String> schemaErrors = SchemaCheck.errors(spec.path(), op.requestSchemaPointer(), m.body);
    RawCall.Result result = RawCall.to(prism.baseUri(), op).body(m.body).send();
    Verdicts.record(op.operationId, exampleName + ": " + m.rule, result.status,
        schemaErrors.isEmpty() ? "valid" : "invalid", result.violations);
    assertFalse(schemaErrors.isEmpty(),
        () -> "JSON Schema validator accepts the mutation '" + m.rule + "' (body " + m.body
            + "); Prism said " + result);
    assertTrue(result.status >= 400 && result.status < 500,
        () -> "Prism did not refuse '" + m.rule + "' with a 4xx (body " + m.body + "): " + result);
    assertNotNull(result.violations, () -> "Prism refused '" + m.rule + "' without sl-violations: " + result);
  }
}
