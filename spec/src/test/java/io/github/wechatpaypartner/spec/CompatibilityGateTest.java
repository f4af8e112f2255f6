package io.github.wechatpaypartner.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate on edits made to scratch copies of the document: one compatible, several breaking. */
class CompatibilityGateTest {
  @TempDir
  Path scratch;

  private final JsonNode document = SpecFiles.readTree(SpecFiles.source());

  @Test
  void addingAnOptionalResponseFieldIsCompatibleAndLogged() throws IOException {
    CompatibilityGate.Verdict verdict = compareWithEdit("1.0.0", "1.1.0", doc -> {
      ObjectNode props = (ObjectNode) doc.at("/components/schemas/DeliveryPlan/properties");
      props.putObject("audit_state").put("type", "string").put("description", "审核状态 (audit state)");
    });
    assertTrue(verdict.accepted, verdict::refusal);
    assertFalse(verdict.breaking);
    assertTrue(verdict.changelogEntry().startsWith("## 1.1.0 (compared with published 1.0.0)"), verdict.changelogEntry());
    assertTrue(verdict.changelogEntry().contains("/v3/marketing/partner/delivery-plan/delivery-plans"),
        verdict.changelogEntry());
  }

  @Test
  void removingAResponseFieldIsRefusedWithoutANewMajor() throws IOException {
    CompatibilityGate.Verdict verdict = compareWithEdit("1.0.0", "1.1.0",
        doc -> ((ObjectNode) doc.at("/components/schemas/DeliveryPlan/properties")).remove("plan_name"));
    assertTrue(verdict.breaking);
    assertFalse(verdict.accepted);
    assertTrue(verdict.refusal().contains("new major version (2.0.0)"), verdict.refusal());
  }

  @Test
  void makingARequestFieldRequiredIsRefused() throws IOException {
    CompatibilityGate.Verdict verdict = compareWithEdit("1.0.0", "1.0.1",
        doc -> ((ArrayNode) doc.at("/components/schemas/CreateDeliveryPlanRequest/required")).add("plan_name"));
    assertTrue(verdict.breaking);
    assertFalse(verdict.accepted);
  }

  @Test
  void removingAnOperationIsRefused() throws IOException {
    CompatibilityGate.Verdict verdict = compareWithEdit("1.0.0", "1.2.0",
        doc -> ((ObjectNode) doc.path("paths")).remove("/v3/marketing/partner/delivery-plan/delivery-plans"));
    assertTrue(verdict.breaking);
    assertFalse(verdict.accepted);
  }

  @Test
  void aBreakingChangeWithANewMajorVersionIsAccepted() throws IOException {
    CompatibilityGate.Verdict verdict = compareWithEdit("1.0.0", "2.0.0",
        doc -> ((ObjectNode) doc.at("/components/schemas/DeliveryPlan/properties")).remove("plan_name"));
    assertTrue(verdict.breaking);
    assertTrue(verdict.accepted);
    assertTrue(verdict.changelogEntry().contains("Breaking changes"), verdict.changelogEntry());
  }

  @Test
  void majorVersionsParse() {
    assertEquals(1, CompatibilityGate.major("1.4.2"));
    assertEquals(12, CompatibilityGate.major("12.0.0-rc.1"));
  }

  private CompatibilityGate.Verdict compareWithEdit(String baseVersion, String newVersion, Consumer<JsonNode> edit)
      throws IOException {
    ObjectNode base = document.deepCopy();
    ((ObjectNode) base.path("info")).put("version", baseVersion);
    ObjectNode edited = base.deepCopy();
    ((ObjectNode) edited.path("info")).put("version", newVersion);
    edit.accept(edited);
    Path before = scratch.resolve("published.yaml");
    Path after = scratch.resolve("edited.yaml");
    SpecFiles.YAML.writeValue(before.toFile(), base);
    SpecFiles.YAML.writeValue(after.toFile(), edited);
    return CompatibilityGate.compare(before, after);
  }
}
