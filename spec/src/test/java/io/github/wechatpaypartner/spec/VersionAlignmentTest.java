package io.github.wechatpaypartner.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** info.version and the Maven project version move together: a release changes both. */
class VersionAlignmentTest {

  @Test
  void infoVersionIsTheMavenVersion() {
    String infoVersion = SpecFiles.readTree(SpecFiles.source()).path("info").path("version").asText();
    assertEquals(SpecFiles.projectVersion(), infoVersion,
        "spec/openapi.yaml info.version must equal the Maven project version (root pom.xml <version>)");
  }
}
