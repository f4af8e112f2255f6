package io.github.wechatpaypartner.conformance.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.conformance.support.RequestMutations.Mutation;
import io.github.wechatpaypartner.exception.GatewayException;
import io.github.wechatpaypartner.exception.RequestValidationException;
import io.github.wechatpaypartner.exception.ResponseVerificationException;
import io.github.wechatpaypartner.exception.ServiceException;
import io.github.wechatpaypartner.sandbox.Fault;
import io.github.wechatpaypartner.sandbox.FaultRule;
import io.github.wechatpaypartner.sandbox.RecordedExchange;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.spec.SpecDocument;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.spec.SpecDocument.SpecResponse;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * The checks every operation of a spec gets, derived from the spec alone (no operation named):
 * its examples round trip through the generated client and the sandbox (a body-less operation
 * with its path and query examples); every single-rule mutation of its path, query and body is
 * refused by the client before anything is sent; every declared error example becomes the typed
 * exception; the sandbox's fault table holds (retried faults retried, bad signatures refused). Run on the module's client by {@code TypedClientTest} and on a client generated from
 * a grown scratch spec by {@code GrowthDrillTest}.
 */
public final class SpecDrivenSuite {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private final SpecDocument spec;
  private final Sandbox sandbox;
  private final Supplier<Object> client;
  private final SpecCalls calls;
  private final boolean recordVerdicts;

  /**
   * @param client the generated client aimed at {@code sandbox}, of whichever class loader
   *     {@code calls} reads
   * @param recordVerdicts whether the client's refusals go to the suite's verdict table
   */
  public SpecDrivenSuite(SpecDocument spec, Sandbox sandbox, Supplier<Object> client, SpecCalls calls,
      boolean recordVerdicts) {
    this.spec = spec;
    this.sandbox = sandbox;
    this.client = client;
    this.calls = calls;
    this.recordVerdicts = recordVerdicts;
  }

  /** Every check of every operation, grouped by operation. */
  public List<DynamicNode> all() {
    List<DynamicNode> nodes = new ArrayList<>();
    for (SpecOperation op : spec.operations().values()) {
      nodes.add(DynamicContainer.dynamicContainer(op.operationId, List.of(
          DynamicContainer.dynamicContainer("examples round trip", exampleRoundTrips(op)),
          DynamicContainer.dynamicContainer("invalid requests refused before sending", refusals(op)),
          DynamicContainer.dynamicContainer("error examples become the typed exception", errorExamples(op)),
          DynamicContainer.dynamicContainer("the fault table", faults(op)))));
    }
    return nodes;
  }

  /** Each request example (or the one body-less call) sent and its answer read back. */
  public List<DynamicNode> exampleRoundTrips(SpecOperation op) {
    List<DynamicNode> tests = new ArrayList<>();
    SpecCalls.exampleBodies(op).forEach((name, body) -> tests.add(DynamicTest.dynamicTest(name,
        () -> assertRoundTrip(op, body))));
    return tests;
  }

  private void assertRoundTrip(SpecOperation op, JsonNode body) throws Exception {
    sandbox.reset();
    Object answer = calls.call(client.get(), op, ExamplePaths.of(op), ExamplePaths.query(op), body);
    List<RecordedExchange> seen = sandbox.exchanges();
    assertEquals(1, seen.size(), () -> "one request expected, saw " + seen);
    RecordedExchange exchange = seen.get(0);
    assertNull(exchange.refusal, () -> "the sandbox refused the request: " + exchange);
    assertEquals(op.method, exchange.method, "method sent");
    assertEquals(ExamplePaths.path(op), exchange.path, "path sent");
    assertEquals(ExamplePaths.query(op), Queries.decode(exchange.query), "query sent");
    if (body == null) {
      assertEquals(0, exchange.requestBody.length, "a body sent where the spec declares none");
    } else {
      assertEquals(body, PLAIN.readTree(exchange.requestBody), "the client did not send the example as written");
    }
    assertTrue(exchange.status >= 200 && exchange.status < 300, () -> "answer " + exchange);
    assertEquals(List.of(), exchange.answerViolations, "the sandbox's answer breaks the spec");
    if (exchange.responseBody.length == 0) {
      assertNull(answer, "a typed answer made up from an answer without body");
    } else {
      assertNotNull(answer, "no typed answer");
      // Compared as re-parsed text: Jackson trees tell an int node from a long node.
      assertEquals(PLAIN.readTree(exchange.responseBody), calls.tree(answer),
          "the typed answer does not hold what the sandbox sent");
    }
    boolean modelled = sandbox.state().modelledOperations().contains(op.operationId);
    assertEquals(modelled ? null : "spec-example", exchange.responseHeader("Wechatpay-Sandbox-Answer"),
        "the answer's source header");
    assertEquals(!modelled, exchange.note != null && exchange.note.contains("spec's"),
        () -> "the record's note on the answer's source: " + exchange.note);
  }

  /**
   * Each single-rule mutation of each request example, each oneOf mix, and each of the path and
   * query parameters: unreadable into the generated types, or refused with a
   * RequestValidationException naming a violation, nothing sent.
   */
  public List<DynamicNode> refusals(SpecOperation op) {
    Map<String, List<Mutation>> bodies = new LinkedHashMap<>();
    op.requestExamples().forEach((name, example) -> bodies.put(name, RequestMutations.of(op.requestSchema(), example)));
    List<Mutation> mixes = op.hasRequestBody()
        ? RequestMutations.mixedBranches(op.requestSchema(), op.requestExamples()) : List.of();
    if (!mixes.isEmpty()) {
      bodies.put("oneOf mixes", mixes);
    }
    List<DynamicNode> groups = new ArrayList<>();
    bodies.forEach((name, mutations) -> groups.add(DynamicContainer.dynamicContainer(name, mutations.stream()
        .map(m -> DynamicTest.dynamicTest(m.rule, () -> assertRefusedBeforeSending(op, name, m,
            ExamplePaths.of(op), ExamplePaths.query(op), m.body))))));
    for (String in : List.of("path", "query")) {
      List<Mutation> params = RequestMutations.ofParameters(op, in);
      if (!params.isEmpty()) {
        groups.add(DynamicContainer.dynamicContainer(in + " parameters", params.stream()
            .map(m -> DynamicTest.dynamicTest(m.rule, () -> assertRefusedBeforeSending(op, in, m,
                "path".equals(in) ? RequestMutations.asText(m.body) : ExamplePaths.of(op),
                "query".equals(in) ? RequestMutations.asText(m.body) : ExamplePaths.query(op),
                SpecCalls.firstExample(op))))));
      }
    }
    return groups;
  }

  private void assertRefusedBeforeSending(SpecOperation op, String group, Mutation m, Map<String, String> path,
      Map<String, String> query, JsonNode body) throws Exception {
    String probe = "client: " + group + ": " + m.rule;
    sandbox.clearExchanges();
    Object target = client.get();
    Method method = calls.method(target, op.operationId);
    Object[] args;
    try {
      args = calls.arguments(method, op.operationId, path, query, body);
    } catch (JsonProcessingException | IllegalArgumentException unreadable) {
      // The generated types cannot even hold this value: a typed caller cannot send it.
      verdict(op, probe, "unreadable: " + unreadable.getMessage().split("\n")[0]);
      return;
    }
    if (body != null) {
      // A null in the model is an absent field on the wire (required-field mutations).
      JsonNode held = withoutNulls(calls.tree(calls.readBody(target, op.operationId, body)));
      if (!held.equals(PLAIN.readTree(PLAIN.writeValueAsBytes(body)))) {
        // The model has no place for part of the body (e.g. the other oneOf branch's fields), so a
        // typed caller cannot express this body at all.
        verdict(op, probe, "not representable: the model holds " + held);
        return;
      }
    }
    try {
      Object answer = calls.invoke(target, method, args);
      fail("the client sent '" + m.rule + "' and got " + answer + "; the sandbox saw " + sandbox.exchanges());
    } catch (RequestValidationException refused) {
      assertFalse(refused.violations().isEmpty(), "refused without naming a violation");
      verdict(op, probe, "refused: " + refused.violations());
    } catch (ServiceException sent) {
      fail("the client sent '" + m.rule + "' (HTTP " + sent.statusCode() + "): " + sent.getMessage());
    }
    assertEquals(List.of(), sandbox.exchanges(), "something was sent");
  }

  /** Each declared error example, answered once by the sandbox, as the typed exception with its status, code and message. */
  public List<DynamicNode> errorExamples(SpecOperation op) {
    List<DynamicNode> tests = new ArrayList<>();
    for (SpecResponse response : op.responses().values()) {
      if (response.status < 400) {
        continue;
      }
      for (Map.Entry<String, JsonNode> e : response.examples.entrySet()) {
        tests.add(DynamicTest.dynamicTest(response.status + " " + e.getKey(), () -> {
          sandbox.reset();
          // Every attempt answered so: a retryable status (429, 500) is retried and fails again.
          sandbox.arm(FaultRule.next(100, op.operationId, Fault.errorExample(e.getKey())));
          ServiceException error = assertThrows(ServiceException.class,
              () -> calls.call(client.get(), op, ExamplePaths.of(op), ExamplePaths.query(op), SpecCalls.firstExample(op)));
          assertEquals(response.status, error.statusCode(), error::getMessage);
          assertEquals(e.getValue().path("code").asText(), error.errorCode(), error::getMessage);
          assertEquals(e.getValue().path("message").asText(), error.errorMessage(), error::getMessage);
          assertNotNull(error.requestId(), "no Request-ID in the exception");
          assertEquals(op.operationId, error.operationId());
          assertEquals(List.of(), sandbox.lastExchange().answerViolations, "answer off-spec");
          sandbox.disarmAll();
        }));
      }
    }
    return tests;
  }

  /**
   * The rows of the fault tables (the sandbox's, the client's README) that say what a client meets,
   * once each on this operation: a 429 or 500 not processed is retried and the call succeeds; a
   * gateway's unsigned 502 or 503 is a GatewayException, not retried by default; an answer whose
   * signature does not hold is refused by the verifier.
   */
  public List<DynamicNode> faults(SpecOperation op) {
    List<DynamicNode> tests = new ArrayList<>();
    for (Fault retried : List.of(Fault.rateLimited(), Fault.systemError())) {
      tests.add(DynamicTest.dynamicTest(retried + " is retried", () -> {
        sandbox.reset();
        sandbox.arm(FaultRule.next(1, op.operationId, retried));
        calls.call(client.get(), op, ExamplePaths.of(op), ExamplePaths.query(op), SpecCalls.firstExample(op));
        List<RecordedExchange> seen = sandbox.exchanges(op.operationId);
        assertEquals(2, seen.size(), () -> "the fault, then the retry: " + seen);
        assertEquals(retried.toString(), seen.get(0).fault);
        assertTrue(seen.get(1).status >= 200 && seen.get(1).status < 300, () -> "the retry's answer: " + seen.get(1));
      }));
    }
    for (int status : List.of(502, 503)) {
      // The README's table: a gateway's answer is classified before verification, not retried by default.
      tests.add(DynamicTest.dynamicTest("GATEWAY_" + status + " is a GatewayException", () -> {
        sandbox.reset();
        sandbox.arm(FaultRule.next(1, op.operationId, Fault.gateway(status)));
        GatewayException e = assertThrows(GatewayException.class, () ->
            calls.call(client.get(), op, ExamplePaths.of(op), ExamplePaths.query(op), SpecCalls.firstExample(op)));
        assertEquals(status, e.statusCode(), e::getMessage);
        assertEquals(1, sandbox.exchanges(op.operationId).size(), "retried by default");
      }));
    }
    for (Fault refused : List.of(Fault.badSignature(), Fault.signTestProbe(), Fault.staleTimestamp(),
        Fault.unknownSerial(), Fault.unsigned())) {
      tests.add(DynamicTest.dynamicTest(refused + " is refused by the verifier", () -> {
        sandbox.reset();
        sandbox.arm(FaultRule.next(1, op.operationId, refused));
        Exception e = assertThrows(Exception.class, () ->
            calls.call(client.get(), op, ExamplePaths.of(op), ExamplePaths.query(op), SpecCalls.firstExample(op)));
        assertTrue(Causes.causedBy(e, ResponseVerificationException.class), () -> "not a verification failure: " + e);
      }));
    }
    return tests;
  }

  private void verdict(SpecOperation op, String probe, String outcome) {
    if (recordVerdicts) {
      Verdicts.record(op.operationId, probe, 0, outcome, null);
    }
  }

  static JsonNode withoutNulls(JsonNode node) {
    if (node.isObject()) {
      com.fasterxml.jackson.databind.node.ObjectNode copy = PLAIN.createObjectNode();
      node.fields().forEachRemaining(f -> {
        if (!f.getValue().isNull()) {
          copy.set(f.getKey(), withoutNulls(f.getValue()));
        }
      });
      return copy;
    }
    if (node.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode copy = PLAIN.createArrayNode();
      node.forEach(item -> copy.add(withoutNulls(item)));
      return copy;
    }
    return node;
  }
}
