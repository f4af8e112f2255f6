package io.github.wechatpaypartner.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openapitools.openapidiff.core.OpenApiCompare;
import org.openapitools.openapidiff.core.model.ChangedOpenApi;
import org.openapitools.openapidiff.core.model.ChangedOperation;
import org.openapitools.openapidiff.core.model.Endpoint;
import org.openapitools.openapidiff.core.output.MarkdownRender;

/**
 * The breaking-change gate: compares a document with the last published one. A change that
 * breaks a consumer of the published version ({@link BreakingChanges}, plus whatever openapi-diff
 * calls incompatible) is refused unless info.version moves to a new major version. Every run
 * yields a changelog entry, refused runs included.
 */
final class CompatibilityGate {

  /** What the gate decided, and the changelog that says so. */
  static final class Verdict {
    final String publishedVersion;
    final String currentVersion;
    final List<BreakingChanges.Finding> breaks;
    final boolean unchanged;
    final boolean accepted;
    private final String diffMarkdown;

    Verdict(String publishedVersion, String currentVersion, List<BreakingChanges.Finding> breaks, boolean unchanged,
        String diffMarkdown) {
      this.publishedVersion = publishedVersion;
      this.currentVersion = currentVersion;
      this.breaks = breaks;
      this.unchanged = unchanged;
      this.diffMarkdown = diffMarkdown;
      this.accepted = breaks.isEmpty() || major(currentVersion) > major(publishedVersion);
    }

    boolean breaking() {
      return !breaks.isEmpty();
    }

    /** One line per break, grouped where one edit of a shared component reaches several places. */
    String breakList() {
      Map<String, Set<String>> bySourceAndRule = new LinkedHashMap<>();
      for (BreakingChanges.Finding f : breaks) {
        bySourceAndRule.computeIfAbsent(f.source + ": " + f.rule, k -> new LinkedHashSet<>()).add(f.place);
      }
      StringBuilder out = new StringBuilder();
      bySourceAndRule.forEach((what, places) -> {
        out.append("- ").append(what).append('\n');
        String where = what.substring(0, what.indexOf(": "));
        if (places.size() > 1 || !places.contains(where)) {
          out.append("  (met at: ").append(String.join("; ", places)).append(")\n");
        }
      });
      return out.toString();
    }

    /** Why the change was refused: each break, and the two ways out. */
    String refusal() {
      return "The spec breaks consumers of the published " + publishedVersion + " (spec/published/openapi.yaml) while "
          + "info.version is " + currentVersion + ":\n" + breakList()
          + "Undo these changes, or release a new major version: spec/set-version.sh " + (major(publishedVersion) + 1)
          + ".0.0 sets it in info.version and every pom.xml (see spec/README.md, Releasing).";
    }

    /**
     * The heading of this run's changes: they are unreleased, so they are named by the published
     * version they follow, and by the version they will be released as once info.version moved.
     */
    String heading() {
      return currentVersion.equals(publishedVersion)
          ? "Unreleased changes since " + publishedVersion
          : currentVersion + " (unreleased) against the published " + publishedVersion;
    }

    /**
     * The whole changelog.md of this run: one CHANGELOG.md section ("## " + heading), which
     * spec/scripts/release-changelog.mjs copies into CHANGELOG.md at release time.
     */
    String changelog() {
      StringBuilder out = new StringBuilder("## ").append(heading()).append("\n\n");
      if (unchanged) {
        out.append("None: spec/openapi.yaml is the published ").append(publishedVersion).append(".\n");
        return out.toString();
      }
      if (currentVersion.equals(publishedVersion)) {
        out.append("info.version is still ").append(publishedVersion)
            .append(": set the version these changes will be released as before releasing them.\n\n");
      }
      if (!accepted) {
        out.append("**Refused**: these changes break consumers of ").append(publishedVersion)
            .append(" and info.version keeps the major version.\n\n").append(breakList()).append('\n');
      } else if (breaking()) {
        out.append("**Breaking changes: new major version.**\n\n").append(breakList()).append('\n');
      } else {
        out.append("Compatible with ").append(publishedVersion).append(".\n\n");
      }
      // Folded: openapi-diff's report has headings of its own and lists every description edit.
      out.append("<details><summary>All differences (openapi-diff)</summary>\n\n").append(diffMarkdown.trim())
          .append("\n\n</details>\n");
      return out.toString();
    }

    /** Writes the changelog (every run, refused runs too) and returns a one-line summary naming it. */
    String writeChangelog(Path file) {
      try {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, changelog());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the spec changelog " + file, e);
      }
      String status = unchanged ? "none" : !accepted ? "REFUSED" : breaking() ? "breaking, new major" : "compatible";
      return "Spec: " + heading() + ": " + status + "; changelog: " + file.toAbsolutePath();
    }
  }

  private CompatibilityGate() {
  }

  static Verdict compare(Path published, Path current) {
    JsonNode oldTree = SpecFiles.readTree(published);
    JsonNode newTree = SpecFiles.readTree(current);
    List<BreakingChanges.Finding> breaks = new ArrayList<>(BreakingChanges.between(oldTree, newTree));
    ChangedOpenApi diff = OpenApiCompare.fromLocations(published.toUri().toString(), current.toUri().toString());
    if (diff.isIncompatible()) {
      // Our rules come first; anything else openapi-diff calls incompatible still refuses the change.
      for (ChangedOperation op : diff.getChangedOperations()) {
        if (op.isIncompatible() && breaks.stream().noneMatch(f -> f.place.contains(op.getPathUrl()))) {
          String place = op.getHttpMethod() + " " + op.getPathUrl();
          breaks.add(new BreakingChanges.Finding(place, place, "openapi-diff reports an incompatible change (see the changelog)"));
        }
      }
      for (Endpoint missing : diff.getMissingEndpoints()) {
        String place = missing.getMethod() + " " + missing.getPathUrl();
        if (breaks.stream().noneMatch(f -> f.place.contains(missing.getPathUrl()))) {
          breaks.add(new BreakingChanges.Finding(place, place, "operation removed"));
        }
      }
      if (breaks.isEmpty()) {
        breaks.add(new BreakingChanges.Finding("document", "document", "openapi-diff reports an incompatible change (see the changelog)"));
      }
    }
    return new Verdict(oldTree.path("info").path("version").asText(), newTree.path("info").path("version").asText(),
        breaks, diff.isUnchanged() && breaks.isEmpty() && oldTree.equals(newTree), render(diff));
  }

  private static String render(ChangedOpenApi diff) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputStreamWriter writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    new MarkdownRender().render(diff, writer);
    return out.toString(StandardCharsets.UTF_8);
  }

  static int major(String version) {
    String head = version.split("\\.", 2)[0];
    try {
      return Integer.parseInt(head);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("info.version must be semantic (MAJOR.MINOR.PATCH), got: " + version, e);
    }
  }
}
