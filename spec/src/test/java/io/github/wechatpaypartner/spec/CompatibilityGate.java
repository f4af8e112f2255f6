package io.github.wechatpaypartner.spec;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.openapitools.openapidiff.core.OpenApiCompare;
import org.openapitools.openapidiff.core.model.ChangedOpenApi;
import org.openapitools.openapidiff.core.output.MarkdownRender;

/**
 * The breaking-change gate: compares a document with the last published one (openapi-diff).
 * An incompatible change is refused unless info.version moves to a new major version; any
 * other change becomes a Markdown changelog entry.
 */
final class CompatibilityGate {

  /** What the gate decided. */
  static final class Verdict {
    final boolean accepted;
    final boolean unchanged;
    final boolean breaking;
    final String publishedVersion;
    final String currentVersion;
    final String markdown;

    Verdict(boolean accepted, boolean unchanged, boolean breaking, String publishedVersion,
        String currentVersion, String markdown) {
      this.accepted = accepted;
      this.unchanged = unchanged;
      this.breaking = breaking;
      this.publishedVersion = publishedVersion;
      this.currentVersion = currentVersion;
      this.markdown = markdown;
    }

    /** The changelog entry for an accepted change. */
    String changelogEntry() {
      return "## " + currentVersion + " (compared with published " + publishedVersion + ")\n\n"
          + (breaking ? "**Breaking changes: new major version.**\n\n" : "")
          + markdown.trim() + "\n";
    }

    /** Why a change was refused, with the incompatible differences. */
    String refusal() {
      return "Breaking change to the published spec " + publishedVersion + " while info.version is "
          + currentVersion + ": an incompatible change needs a new major version (" + (major(publishedVersion) + 1)
          + ".0.0), or undo it. Differences found by openapi-diff:\n" + markdown;
    }
  }

  private CompatibilityGate() {
  }

  static Verdict compare(Path published, Path current) {
    ChangedOpenApi diff = OpenApiCompare.fromLocations(published.toUri().toString(), current.toUri().toString());
    String publishedVersion = diff.getOldSpecOpenApi().getInfo().getVersion();
    String currentVersion = diff.getNewSpecOpenApi().getInfo().getVersion();
    boolean breaking = diff.isIncompatible();
    boolean accepted = !breaking || major(currentVersion) > major(publishedVersion);
    return new Verdict(accepted, diff.isUnchanged(), breaking, publishedVersion, currentVersion, render(diff));
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
