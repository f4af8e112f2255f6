package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SandboxCredentials;
import io.github.wechatpaypartner.sandbox.SandboxSettings;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 7: a whole scenario from outside the JVM. {@code src/test/node/sandbox-scenario.mjs} seeds,
 * arms a fault, calls createDeliveryPlan (503, then 200), reads the record and the coverage,
 * receives, sends on demand and duplicates notifications, and resets, through the control plane
 * alone, signing requests and verifying answers and notifications with Node's own crypto: nothing
 * of this project but the sandbox and the {@code sandbox.json} it wrote.
 */
class SandboxNodeScenarioTest {
  private static final Path SCRIPT = ModulePaths.moduleDir().resolve("src/test/node/sandbox-scenario.mjs");

  @Test
  void aNodeClientRunsTheWholeScenarioThroughTheControlPlane(@TempDir Path dir) throws Exception {
    String node = nodeOnPath().orElseThrow(() -> new AssertionError(
        "`node` (Node 20 or later) is not on the PATH: the control plane's scenario from outside the JVM needs it"));
    try (Sandbox sandbox = Sandbox.start(SandboxSettings.builder().spec(ModulePaths.spec())
        .clientFilesDir(dir.resolve("files")).timeScale(600).build())) {
      Path example = dir.resolve("createDeliveryPlan.json");
      Files.writeString(example, new ObjectMapper().writeValueAsString(SpecDocument.load(ModulePaths.spec())
          .operation("createDeliveryPlan").requestExamples().values().iterator().next()));
      Process process = new ProcessBuilder(node, SCRIPT.toString(),
          sandbox.clientFiles().resolve(SandboxCredentials.DESCRIPTION_FILE).toString(), example.toString())
          .redirectErrorStream(true).start();
      boolean ended = process.waitFor(60, TimeUnit.SECONDS);
      if (!ended) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      Files.writeString(ModulePaths.targetFile("sandbox-node-scenario.txt"), output);
      assertTrue(ended, () -> "the Node scenario did not end within 60 s:\n" + output);
      assertEquals(0, process.exitValue(), output);
      assertTrue(output.contains("scenario passed"), output);
      assertTrue(sandbox.offSpec().isEmpty(), () -> "off-spec: " + sandbox.offSpec());
    }
  }

  private static Optional<String> nodeOnPath() {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(p -> Path.of(p, "node")).filter(Files::isExecutable).map(Path::toString).findFirst();
  }
}
