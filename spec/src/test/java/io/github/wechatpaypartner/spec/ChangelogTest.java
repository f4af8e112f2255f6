package io.github.wechatpaypartner.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CHANGELOG.md, the release notes consumers receive: one section per version, a released version
 * never changes afterwards, the spec's jar ships the file, and scripts/release-changelog.mjs writes a
 * release's section from the gate's own output.
 */
class ChangelogTest {
  private static final Pattern SECTION = Pattern.compile("^## (\\S+) (\\(unreleased\\)|- \\d{4}-\\d{2}-\\d{2})$", Pattern.MULTILINE);

  @TempDir
  Path scratch;

  private final JsonNode document = SpecFiles.readTree(SpecFiles.source());
  private final String version = document.path("info").path("version").asText();
  private final String changelog = SpecFiles.read(SpecFiles.releaseNotes());

  @Test
  void thisVersionHasOneSection() {
    List<String> headings = new ArrayList<>();
    Matcher m = SECTION.matcher(changelog);
    while (m.find()) {
      if (m.group(1).equals(version)) {
        headings.add(m.group());
      }
    }
    assertEquals(1, headings.size(), () -> "CHANGELOG.md needs exactly one '## " + version + " (unreleased)' or '## "
        + version + " - date' section, found " + headings);
  }

  /** Once its section is dated, a version is what consumers have: the document may not differ from it. */
  @Test
  void aReleasedVersionIsThePublishedDocument() {
    if (!changelog.contains("\n## " + version + " - ")) {
      assertTrue(changelog.contains("\n## " + version + " (unreleased)"), "an undated section says (unreleased)");
      return;
    }
    JsonNode published = SpecFiles.readTree(SpecFiles.publishedDir().resolve("openapi.yaml"));
    assertEquals(published, document, version + " is released (CHANGELOG.md): spec/openapi.yaml must equal "
        + "spec/published/openapi.yaml; set the next version for further changes");
  }

  @Test
  void theSpecJarShipsTheChangelog() throws IOException {
    Path shipped = SpecFiles.classesDir().resolve("META-INF/wechatpay-partner-spec/CHANGELOG.md");
    assertTrue(Files.exists(shipped), () -> "the jar's resources lack " + shipped);
    assertEquals(changelog, Files.readString(shipped), "the jar must ship the committed CHANGELOG.md");
  }

  /** The release script takes the gate's real output: a pending section is dated and gets the comparison. */
  @Test
  void releaseScriptWritesTheGatesComparisonIntoThePendingSection() throws Exception {
    String next = (CompatibilityGate.major(version) + 1) + ".0.0";
    Path spec = gateRunOn(edited -> {
      ((ObjectNode) edited.path("info")).put("version", next);
      ((ObjectNode) edited.at("/components/schemas/DeliveryPlan/properties")).remove("recommend_word");
    });
    Path notes = scratch.resolve("CHANGELOG.md");
    Files.writeString(notes, "# Changelog\n\n## " + next + " (unreleased)\n\nHand-written note.\n\n## " + version
        + " - 2026-01-01\n\nOlder.\n");

    releaseChangelog(0, "--date", "2027-03-04", "--spec", spec.toString(), "--gate", scratch.resolve("changelog.md").toString(),
        "--changelog", notes.toString());
    String written = Files.readString(notes);
    String section = written.substring(written.indexOf("## " + next), written.indexOf("## " + version));
    assertTrue(section.startsWith("## " + next + " - 2027-03-04\n"), written);
    assertTrue(section.contains("Hand-written note.") && section.contains("### Compared with the published " + version),
        () -> "the dated section keeps its notes and gets the gate's comparison:\n" + written);
    assertTrue(section.contains("recommend_word: answer field removed"), () -> "the gate's finding is missing:\n" + written);
    assertFalse(written.contains("(unreleased)"), written);
  }

  /** Changes at the published version have no version to be released as: the script refuses. */
  @Test
  void releaseScriptRefusesChangesStillAtThePublishedVersion() throws Exception {
    Path spec = gateRunOn(edited -> ((ObjectNode) edited.at("/components/schemas/DeliveryPlan")).put("description", "投放计划 (plan)."));
    Path notes = scratch.resolve("CHANGELOG.md");
    Files.writeString(notes, changelog);

    String output = releaseChangelog(1, "--spec", spec.toString(), "--gate", scratch.resolve("changelog.md").toString(),
        "--changelog", notes.toString());
    assertTrue(output.contains("info.version is still " + version), output);
    assertEquals(changelog, Files.readString(notes), "a refused run leaves CHANGELOG.md as it was");
  }

  /** The published document edited, written to scratch/openapi.yaml, and the gate's section for it to scratch/changelog.md. */
  private Path gateRunOn(java.util.function.Consumer<ObjectNode> edit) throws IOException {
    Path published = SpecFiles.publishedDir().resolve("openapi.yaml");
    ObjectNode edited = (ObjectNode) SpecFiles.readTree(published).deepCopy();
    edit.accept(edited);
    Path spec = scratch.resolve("openapi.yaml");
    SpecFiles.YAML.writeValue(spec.toFile(), edited);
    CompatibilityGate.compare(published, spec).writeChangelog(scratch.resolve("changelog.md"));
    return spec;
  }

  /** Runs scripts/release-changelog.mjs with Node (which the build needs anyway); returns its output. */
  private static String releaseChangelog(int expectedExit, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("node",
        SpecFiles.source().getParent().resolve("scripts/release-changelog.mjs").toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "release-changelog.mjs did not finish");
    assertEquals(expectedExit, process.exitValue(), output);
    return output;
  }
}
