package io.github.wechatpaypartner.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spec/set-version.sh}, the one command the gate and the README name for a new version, on
 * a copy of the repository's spec and poms (never the real ones): it sets info.version and every
 * pom's project or parent version, replaces the published baseline only with --release, and
 * refuses a version that is not MAJOR.MINOR.PATCH without touching anything.
 */
@DisabledOnOs(OS.WINDOWS) // a POSIX sh script
class SetVersionScriptTest {
  private final Path repository = SpecFiles.source().toAbsolutePath().getParent().getParent();

  @Test
  void setsTheVersionEverywhereAndTheBaselineOnlyWhenReleasing(@TempDir Path copy) throws Exception {
    for (String file : List.of("spec/set-version.sh", "spec/openapi.yaml", "spec/published/openapi.yaml", "pom.xml",
        "spec/pom.xml", "sandbox/pom.xml")) {
      Files.createDirectories(copy.resolve(file).getParent());
      Files.copy(repository.resolve(file), copy.resolve(file));
    }
    byte[] published = Files.readAllBytes(copy.resolve("spec/published/openapi.yaml"));

    assertEquals(0, run(copy, "7.1.0"));
    assertEquals("7.1.0", SpecFiles.readTree(copy.resolve("spec/openapi.yaml")).path("info").path("version").asText());
    for (String pom : List.of("pom.xml", "spec/pom.xml", "sandbox/pom.xml")) {
      String text = Files.readString(copy.resolve(pom), StandardCharsets.UTF_8);
      assertTrue(text.matches("(?s).*<artifactId>wechatpay-partner-parent</artifactId>\\s*(<!--.*?-->\\s*)?<version>7\\.1\\.0</version>.*"),
          pom + " keeps its old version");
    }
    assertEquals(new String(published, StandardCharsets.UTF_8),
        Files.readString(copy.resolve("spec/published/openapi.yaml"), StandardCharsets.UTF_8), "baseline changed without --release");

    assertEquals(0, run(copy, "7.1.0", "--release"));
    assertEquals(Files.readString(copy.resolve("spec/openapi.yaml")), Files.readString(copy.resolve("spec/published/openapi.yaml")));

    String before = Files.readString(copy.resolve("spec/openapi.yaml"));
    assertEquals(2, run(copy, "7.2"), "a version that is not MAJOR.MINOR.PATCH");
    assertEquals(before, Files.readString(copy.resolve("spec/openapi.yaml")));
  }

  private static int run(Path copy, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("sh", copy.resolve("spec/set-version.sh").toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(copy.resolve("set-version.log").toFile()).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("set-version.sh did not end");
    }
    return p.exitValue();
  }
}
