package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.conformance.support.Ports;
import io.github.wechatpaypartner.conformance.support.SpecCalls;
import io.github.wechatpaypartner.sandbox.Fault;
import io.github.wechatpaypartner.sandbox.FaultRule;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.ServiceSpec;
import io.github.wechatpaypartner.sandbox.junit.SandboxExtension;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Point 6 of the sandbox issue: the JUnit 5 extension injects a running sandbox and a client
 * aimed at it, disarms faults after each test, stops the sandbox when the class (or run) ends,
 * failed tests included, and fails a class in which the sandbox sent something off-spec. Classes
 * that must fail are run here through the JUnit Platform launcher (their names keep Surefire off them).
 */
@ExtendWith(SandboxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxExtensionTest {
  private static final SpecDocument SPEC = SpecDocument.load(io.github.wechatpaypartner.conformance.support.ModulePaths.spec());
  static final List<URI> SEEN = new ArrayList<>();

  @Test
  @Order(1)
  void injectsTheSandboxAndAVerifyingClient(Sandbox sandbox, WechatPayClient client) throws Exception {
    SpecDocument.SpecOperation op = SPEC.operation("createDeliveryPlan");
    SpecCalls.call(client, op, SpecCalls.firstExample(op));
    assertEquals(200, sandbox.lastExchange().status);
    assertTrue(client.toString().contains(sandbox.uri().toString()), client::toString);
    sandbox.arm(FaultRule.always("*", Fault.systemError()));
  }

  @Test
  @Order(2)
  void theFaultsOfTheLastTestAreDisarmed(Sandbox sandbox) {
    assertEquals(List.of(), sandbox.armedFaults());
  }

  @Test
  void aFailingClassStillStopsItsSandbox() {
    TestExecutionSummary summary = run(DeliberatelyFailing.class);
    assertEquals(1, summary.getTestsFailedCount(), "the class under test was meant to fail");
    assertStopped(SEEN.get(SEEN.size() - 1));
  }

  @Test
  void perRunSharesOneSandboxAcrossClassesAndStopsItAtTheEnd() {
    SEEN.clear();
    TestExecutionSummary summary = run(FirstOfARun.class, SecondOfARun.class);
    assertEquals(2, summary.getTestsSucceededCount(), () -> summary.getFailures().toString());
    assertEquals(2, SEEN.size());
    assertEquals(SEEN.get(0), SEEN.get(1), "one sandbox for the run");
    assertStopped(SEEN.get(0));
  }

  @Test
  void aClassWhoseSandboxAnsweredOffSpecFails(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    // A spec whose plan answer requires a field the sandbox never fills: every plan answer is off-spec.
    ObjectNode spec = (ObjectNode) ServiceSpec.bundled().tree().deepCopy();
    spec.withObjectProperty("components").withObjectProperty("schemas").withObjectProperty("CreateDeliveryPlanResponse")
        .withArrayProperty("required").add("field_the_sandbox_never_sends");
    OffSpec.spec = Files.writeString(dir.resolve("openapi.json"), new ObjectMapper().writeValueAsString(spec));
    TestExecutionSummary summary = run(OffSpec.class);
    assertEquals(1, summary.getTestsSucceededCount(), "the test itself passes");
    assertEquals(1, summary.getContainersFailedCount(), "the class fails when the sandbox closes");
    Throwable why = summary.getFailures().get(0).getException();
    assertTrue(why.getMessage().contains("break the spec") && why.getMessage().contains("field_the_sandbox_never_sends"),
        why::getMessage);
  }

  private static TestExecutionSummary run(Class<?>... classes) {
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
    for (Class<?> c : classes) {
      request.selectors(selectClass(c));
    }
    launcher.execute(request.build(), listener);
    return listener.getSummary();
  }

  private static void assertStopped(URI uri) {
    assertNotNull(uri);
    assertTrue(Ports.free(uri), () -> "something still listens on " + uri);
  }

  @ExtendWith(SandboxExtension.class)
  static class DeliberatelyFailing {
    @Test
    void fails(Sandbox sandbox) {
      SEEN.add(sandbox.uri());
      throw new AssertionError("deliberately");
    }
  }

  static class FirstOfARun {
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.perRun();

    @Test
    void records(Sandbox sandbox) {
      SEEN.add(sandbox.uri());
    }
  }

  static class SecondOfARun {
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.perRun();

    @Test
    void records(Sandbox sandbox) {
      SEEN.add(sandbox.uri());
    }
  }

  static class OffSpec {
    static Path spec;

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.perClass().settings(s -> s.spec(spec));

    @Test
    void createsAPlan(Sandbox sandbox, WechatPayClient client) throws Exception {
      SpecDocument.SpecOperation op = SPEC.operation("createDeliveryPlan");
      try {
        SpecCalls.call(client, op, SpecCalls.firstExample(op));
      } catch (Exception clientDisagreesToo) {
        // the client does not read the off-spec answer either; the class must fail all the same
      }
      assertTrue(sandbox.offSpec().size() > 0);
    }
  }
}
