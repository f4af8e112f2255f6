package io.github.wechatpaypartner.conformance.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wechatpaypartner.conformance.support.ClientHarness;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.PrismProcess;
import io.github.wechatpaypartner.conformance.support.ServiceSimulator.RecordedExchange;
import io.github.wechatpaypartner.spec.SpecDocument;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.conformance.support.TypedOperations;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The three calls of the SDK against a local mock, no credentials needed: starts Prism on the spec
 * and the signature-checking simulator in front of it, calls each operation once through the
 * generated client (signed by the signing module with a merchant key generated now, answers
 * verified with a WeChat Pay test key generated now), prints what was sent and received, and
 * stops everything.
 *
 * <p>Run: {@code mvn -B -pl conformance-tests exec:java@demo} after a build (see README.md).
 */
public final class MockDemo {
  private MockDemo() {
  }

  public static void main(String[] args) throws Exception {
    Path spec = ModulePaths.spec();
    SpecDocument document = SpecDocument.load(spec);
    System.out.println("Spec: " + spec);
    try (PrismProcess prism = PrismProcess.start(spec, ModulePaths.targetFile("prism-demo.log"), Duration.ofSeconds(90));
        ClientHarness harness = ClientHarness.start(prism.baseUri())) {
      System.out.println("Prism mock: " + prism.baseUri() + " (pid " + prism.pid() + ", log " + prism.log() + ")");
      System.out.println("Simulator:  " + harness.simulator.baseUri() + " (checks signatures, signs answers)");
      for (SpecOperation op : document.operations().values()) {
        String exampleName = op.requestExamples().keySet().iterator().next();
        JsonNode example = op.requestExamples().get(exampleName);
        System.out.println();
        System.out.println("== " + op.operationId + ": " + op.method + " " + op.examplePath());
        System.out.println("   request example '" + exampleName + "', out_request_no = "
            + example.path("out_request_no").asText("(none)"));
        Object answer = TypedOperations.of(op.operationId).call(harness.client(), op, example);
        RecordedExchange seen = harness.simulator.lastExchange();
        System.out.println("   signature checked by the simulator: " + (seen.signError == null ? "ok" : seen.signError));
        System.out.println("   Prism verdict on the request: "
            + (seen.violations == null ? "no violations" : seen.violations));
        System.out.println("   HTTP " + seen.status + ", answer signature verified by the client; typed answer:");
        System.out.println("   " + String.valueOf(answer).replace("\n", "\n   "));
      }
    }
    System.out.println();
    System.out.println("Prism and the simulator are stopped.");
  }
}
