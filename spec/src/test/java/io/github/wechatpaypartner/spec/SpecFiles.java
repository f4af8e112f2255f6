package io.github.wechatpaypartner.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the build put things (surefire system properties set in spec/pom.xml), and YAML reading. */
final class SpecFiles {
  static final ObjectMapper YAML = new YAMLMapper();
  static final ObjectMapper JSON = new ObjectMapper();

  private SpecFiles() {
  }

  /** The hand-maintained document, spec/openapi.yaml. */
  static Path source() {
    return path("spec.source", "openapi.yaml");
  }

  /** spec/target/bundle: bundles and the HTML reference. */
  static Path bundleDir() {
    return path("spec.bundleDir", "target/bundle");
  }

  /** spec/published: the last released document, the baseline of the breaking-change gate. */
  static Path publishedDir() {
    return path("spec.publishedDir", "published");
  }

  /** The gate's section of this run (target/changelog.md), unreleased changes since the published version. */
  static Path changelog() {
    return path("spec.changelog", "target/changelog.md");
  }

  /** The committed release notes of the spec and the SDK, CHANGELOG.md at the repository root. */
  static Path releaseNotes() {
    return path("spec.releaseNotes", "../CHANGELOG.md");
  }

  /** target/classes: what the jar carries. */
  static Path classesDir() {
    return path("spec.classesDir", "target/classes");
  }

  static String projectVersion() {
    String version = System.getProperty("project.version");
    if (version == null) {
      throw new IllegalStateException("system property project.version is not set: run the tests through Maven");
    }
    return version;
  }

  static JsonNode readTree(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static Path path(String property, String fallback) {
    return Paths.get(System.getProperty(property, fallback)).toAbsolutePath().normalize();
  }
}
