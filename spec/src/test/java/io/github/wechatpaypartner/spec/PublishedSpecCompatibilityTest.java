package io.github.wechatpaypartner.spec;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The gate itself, run on every build: spec/openapi.yaml against spec/published/openapi.yaml.
 * Writes target/changelog.md on every run, refused runs included, and prints where it is.
 */
class PublishedSpecCompatibilityTest {

  @Test
  void specIsCompatibleWithThePublishedVersionOrBumpsTheMajor() {
    Path published = SpecFiles.publishedDir().resolve("openapi.yaml");
    assertTrue(Files.exists(published), () -> "no published baseline at " + published
        + " (spec/README.md, releasing the spec)");
    CompatibilityGate.Verdict verdict = CompatibilityGate.compare(published, SpecFiles.source());
    String summary = verdict.writeChangelog(SpecFiles.changelog());
    System.out.println(summary);
    if (!verdict.accepted) {
      fail(verdict.refusal() + "\nChangelog: " + SpecFiles.changelog());
    }
  }
}
