package io.github.wechatpaypartner.spec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The gate itself, run on every build: spec/openapi.yaml against spec/published/openapi.yaml.
 * Writes target/changelog.md (the entry for this version) when the document changed.
 */
class PublishedSpecCompatibilityTest {

  @Test
  void specIsCompatibleWithThePublishedVersionOrBumpsTheMajor() throws IOException {
    Path published = SpecFiles.publishedDir().resolve("openapi.yaml");
    assertTrue(Files.exists(published), "no published baseline at " + published + " (see README: releasing the spec)");
    CompatibilityGate.Verdict verdict = CompatibilityGate.compare(published, SpecFiles.source());
    assertTrue(verdict.accepted, verdict::refusal);

    Path changelog = SpecFiles.changelog();
    Files.createDirectories(changelog.getParent());
    String entry = verdict.unchanged
        ? "## " + verdict.currentVersion + "\n\nNo change since the published " + verdict.publishedVersion + ".\n"
        : verdict.changelogEntry();
    Files.writeString(changelog, "# Spec changelog\n\n" + entry);
  }
}
