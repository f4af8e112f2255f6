package io.github.wechatpaypartner.conformance;

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
import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.exception.RequestValidationException;
import io.github.wechatpaypartner.exception.ResponseVerificationException;
import io.github.wechatpaypartner.exception.ServiceException;
import io.github.wechatpaypartner.conformance.support.ClientHarness;
import io.github.wechatpaypartner.conformance.support.PrismMock;
import io.github.wechatpaypartner.conformance.support.PrismProcess;
import io.github.wechatpaypartner.conformance.support.RequestMutations;
import io.github.wechatpaypartner.conformance.support.RequestMutations.Mutation;
import io.github.wechatpaypartner.conformance.support.ServiceSimulator.RecordedExchange;
import io.github.wechatpaypartner.conformance.support.ServiceSimulator.ResponseSigning;
import io.github.wechatpaypartner.conformance.support.Signatures;
import io.github.wechatpaypartner.spec.SpecDocument;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.spec.SpecDocument.SpecResponse;
import io.github.wechatpaypartner.conformance.support.TypedOperations;
import io.github.wechatpaypartner.conformance.support.Verdicts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The generated client with the real signing hook and response verifier, through the simulator
 * (which checks the signature independently) to Prism (which checks the request against the spec):
 * every request example comes back as the typed answer with no violation; every declared error
 * example becomes the typed exception with its status, code and message; a bad request signature
 * is a 401 SIGN_ERROR exception; an answer whose signature is wrong is refused by the verifier.
 */
@ExtendWith(PrismMock.class)
class TypedClientTest {
  private static final SpecDocument SPEC = SpecDocument.load(ModulePaths.spec());
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static ClientHarness harness;

  @BeforeAll
  static void start(PrismProcess prism) {
    harness = ClientHarness.start(prism.baseUri());
  }

  @AfterAll
  static void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @AfterEach
  void reset() {
    harness.prefer(null);
    harness.simulator.responseSigning(ResponseSigning.VALID);
  }

  @TestFactory
  Stream<DynamicNode> everyRequestExampleRoundTrips() {
    return SPEC.operations().values().stream().map(op -> DynamicContainer.dynamicContainer(op.operationId,
        op.requestExamples().entrySet().stream().map(example -> DynamicTest.dynamicTest(example.getKey(), () -> {
          harness.simulator.clearExchanges();
          Object answer = TypedOperations.of(op.operationId).call(harness.client(), op, example.getValue());
          List<RecordedExchange> seen = harness.simulator.exchanges();
          assertEquals(1, seen.size(), () -> "one request expected, saw " + seen);
          RecordedExchange exchange = seen.get(0);
          assertNull(exchange.signError, () -> "the simulator refused the signing module's signature: " + exchange.signError);
          assertNull(exchange.violations, () -> "Prism found the client's request off-spec: " + exchange.violations);
          assertEquals(op.examplePath(), exchange.path, "path sent");
          assertEquals(example.getValue(), MAPPER.readTree(exchange.requestBody),
              "the client did not send the example as written");
          assertTrue(exchange.status >= 200 && exchange.status < 300, () -> "answer " + exchange);
          assertNotNull(answer, "no typed answer");
          // Compared as re-parsed text: Jackson trees tell an int node from a long node.
          assertEquals(MAPPER.readTree(exchange.responseBody),
              MAPPER.readTree(TypedOperations.MAPPER.writeValueAsBytes(answer)),
              "the typed answer does not hold what Prism sent");
        }))));
  }

  @TestFactory
  Stream<DynamicNode> everyDeclaredErrorBecomesTheTypedException() {
    List<DynamicNode> nodes = new ArrayList<>();
    for (SpecOperation op : SPEC.operations().values()) {
      List<DynamicNode> tests = new ArrayList<>();
      for (SpecResponse response : op.responses().values()) {
        if (response.status < 400) {
          continue;
        }
        for (Map.Entry<String, JsonNode> e : response.examples.entrySet()) {
          tests.add(DynamicTest.dynamicTest(response.status + " " + e.getKey(), () -> {
            harness.prefer("code=" + response.status + ", example=" + e.getKey());
            ServiceException error = assertThrows(ServiceException.class, () -> callFirstExample(harness.client(), op));
            assertEquals(response.status, error.statusCode(), error::getMessage);
            assertEquals(e.getValue().path("code").asText(), error.errorCode(), error::getMessage);
            assertEquals(e.getValue().path("message").asText(), error.errorMessage(), error::getMessage);
            assertNotNull(error.requestId(), "no Request-ID in the exception");
            assertEquals(op.operationId, error.operationId());
            assertNull(harness.simulator.lastExchange().violations, "Prism found violations");
          }));
        }
      }
      nodes.add(DynamicContainer.dynamicContainer(op.operationId, tests));
    }
    return nodes.stream();
  }

  /**
   * The client's own checks against the spec's rules: each single-rule mutation of each request
   * example, and each oneOf mix, either cannot be read into the generated model at all (wrong type,
   * unknown enum value) or is refused by the client with a RequestValidationException naming the
   * field, before anything is sent.
   */
  @TestFactory
  Stream<DynamicNode> everyInvalidBodyIsRefusedBeforeSending() {
    List<DynamicNode> nodes = new ArrayList<>();
    for (SpecOperation op : SPEC.operations().values()) {
      Map<String, List<Mutation>> groups = new LinkedHashMap<>();
      op.requestExamples().forEach((name, example) -> groups.put(name, RequestMutations.of(op.requestSchema(), example)));
      List<Mutation> mixes = RequestMutations.mixedBranches(op.requestSchema(), op.requestExamples());
      if (!mixes.isEmpty()) {
        groups.put("oneOf mixes", mixes);
      }
      nodes.add(DynamicContainer.dynamicContainer(op.operationId, groups.entrySet().stream()
          .map(group -> DynamicContainer.dynamicContainer(group.getKey(), group.getValue().stream()
              .map(m -> DynamicTest.dynamicTest(m.rule, () -> assertRefusedBeforeSending(op, group.getKey(), m)))))));
    }
    return nodes.stream();
  }

  private static void assertRefusedBeforeSending(SpecOperation op, String group, Mutation m) throws Exception {
    String probe = "client: " + group + ": " + m.rule;
    harness.simulator.clearExchanges();
    TypedOperations.Typed<?> typed = TypedOperations.of(op.operationId);
    Object request;
    try {
      request = typed.read(m.body);
    } catch (JsonProcessingException | IllegalArgumentException unreadable) {
      // The generated model cannot even hold this body: a typed caller cannot send it.
      Verdicts.record(op.operationId, probe, 0, "unreadable: " + unreadable.getMessage().split("\n")[0], null);
      return;
    }
    // A null in the model is an absent field on the wire (required-field mutations).
    JsonNode held = withoutNulls(MAPPER.readTree(TypedOperations.MAPPER.writeValueAsBytes(request)));
    if (!held.equals(MAPPER.readTree(MAPPER.writeValueAsBytes(m.body)))) {
      // The model has no place for part of the body (e.g. the other oneOf branch's fields), so a
      // typed caller cannot express this body at all.
      Verdicts.record(op.operationId, probe, 0, "not representable: the model holds " + held, null);
      return;
    }
    try {
      Object answer = typed.send(harness.client(), op, request);
      fail("the client sent '" + m.rule + "' and got " + answer + "; the simulator saw " + harness.simulator.exchanges());
    } catch (RequestValidationException refused) {
      assertFalse(refused.violations().isEmpty(), "refused without naming a violation");
      Verdicts.record(op.operationId, probe, 0, "refused: " + refused.violations(), null);
    } catch (ServiceException sent) {
      fail("the client sent '" + m.rule + "' (HTTP " + sent.statusCode() + "): " + sent.getMessage());
    }
    assertEquals(List.of(), harness.simulator.exchanges(), "something was sent");
  }

  @TestFactory
  Stream<DynamicNode> badRequestSignatureIsSignError() {
    WechatPayClient forger = harness.newClient(Signatures.newRsaKeyPair().getPrivate());
    return SPEC.operations().values().stream().map(op -> DynamicTest.dynamicTest(op.operationId, () -> {
      ServiceException error = assertThrows(ServiceException.class, () -> callFirstExample(forger, op));
      assertEquals(401, error.statusCode(), error::getMessage);
      assertEquals("SIGN_ERROR", error.errorCode(), error::getMessage);
      assertNotNull(harness.simulator.lastExchange().signError);
    }));
  }

  @TestFactory
  Stream<DynamicNode> answerWithoutAGoodSignatureIsRefused() {
    SpecOperation op = SPEC.operations().values().iterator().next();
    return Stream.of(ResponseSigning.BAD_SIGNATURE, ResponseSigning.SIGNTEST_PROBE,
        ResponseSigning.UNKNOWN_SERIAL, ResponseSigning.UNSIGNED).map(mode -> DynamicTest.dynamicTest(mode.name(), () -> {
          harness.simulator.responseSigning(mode);
          try {
            callFirstExample(harness.client(), op);
            fail("an answer signed " + mode + " was accepted");
          } catch (Exception e) {
            assertTrue(causedBy(e, ResponseVerificationException.class),
                () -> mode + ": expected a ResponseVerificationException, got " + e);
          }
        }));
  }

  private static Object callFirstExample(WechatPayClient client, SpecOperation op) throws Exception {
    return TypedOperations.of(op.operationId).call(client, op, op.requestExamples().values().iterator().next());
  }

  private static JsonNode withoutNulls(JsonNode node) {
    if (node.isObject()) {
      com.fasterxml.jackson.databind.node.ObjectNode copy = MAPPER.createObjectNode();
      node.fields().forEachRemaining(f -> {
        if (!f.getValue().isNull()) {
          copy.set(f.getKey(), withoutNulls(f.getValue()));
        }
      });
      return copy;
    }
    if (node.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode copy = MAPPER.createArrayNode();
      node.forEach(item -> copy.add(withoutNulls(item)));
      return copy;
    }
    return node;
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
