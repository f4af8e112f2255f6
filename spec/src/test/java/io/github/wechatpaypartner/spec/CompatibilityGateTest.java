package io.github.wechatpaypartner.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate on edits made to a scratch copy of the published document (spec/published/openapi.yaml),
 * so these tests do not depend on the state of spec/openapi.yaml: one breaking edit per kind, each
 * refused with a message naming the place and the rule, and compatible edits accepted.
 */
class CompatibilityGateTest {
  private static final String PLANS = "/v3/marketing/partner/delivery-plan/delivery-plans";
  private static final String BUNDLES = "/v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stock-bundles";
  private static final String BUDGET =
      "/v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/update-budget";

  @TempDir
  Path scratch;

  private final JsonNode published = SpecFiles.readTree(SpecFiles.publishedDir().resolve("openapi.yaml"));

  // ------------------------------------------------------------------ breaking edits, one per kind

  @Test
  void requestFieldMadeRequiredIsRefused() throws IOException {
    assertRefused(edit(doc -> array(doc, "/components/schemas/CreateDeliveryPlanRequest/required").add("plan_name")),
        "components.schemas.CreateDeliveryPlanRequest.plan_name", "request field made required");
  }

  @Test
  void requestFieldAddedAsRequiredIsRefused() throws IOException {
    assertRefused(edit(doc -> {
      object(doc, "/components/schemas/CreateDeliveryPlanRequest/properties").putObject("channel")
          .put("type", "string").put("description", "渠道 (channel)");
      array(doc, "/components/schemas/CreateDeliveryPlanRequest/required").add("channel");
    }), "components.schemas.CreateDeliveryPlanRequest.channel", "request field added as required");
  }

  @Test
  void requestLengthNarrowedIsRefused() throws IOException {
    assertRefused(edit(doc -> object(doc, "/components/schemas/OutRequestNo").put("maxLength", 32)),
        "components.schemas.OutRequestNo", "request field narrowed: maxLength 40 -> 32");
  }

  @Test
  void requestWeightedLengthNarrowedIsRefused() throws IOException {
    assertRefused(edit(doc -> object(doc, "/components/schemas/CreateDeliveryPlanRequest/properties/plan_name")
            .put("x-wechatpay-weighted-max-length", 30)),
        "components.schemas.CreateDeliveryPlanRequest.plan_name",
        "request field narrowed: x-wechatpay-weighted-max-length 60 -> 30");
  }

  @Test
  void requestPatternAddedIsRefused() throws IOException {
    assertRefused(edit(doc -> object(doc, "/components/schemas/CreateDeliveryPlanRequest/properties/stock_id")
            .put("pattern", "^[0-9]+$")),
        "components.schemas.CreateDeliveryPlanRequest.stock_id", "request field narrowed: pattern ^[0-9]+$ added");
  }

  @Test
  void requestRangeNarrowedIsRefused() throws IOException {
    assertRefused(edit(doc -> object(doc, "/components/schemas/UpdateMaxCountBudget/properties/target_max_count")
            .put("maximum", 1000000)),
        "components.schemas.UpdateMaxCountBudget.target_max_count", "request field narrowed: maximum 1000000 added");
  }

  @Test
  void requestEnumNarrowedIsRefused() throws IOException {
    assertRefused(edit(doc -> removeValue(array(doc, "/components/schemas/UsageMode/enum"), "PROGRESSIVE_BUNDLE")),
        "components.schemas.UsageMode", "request enum narrowed: PROGRESSIVE_BUNDLE removed");
  }

  @Test
  void pathParameterNarrowedIsRefused() throws IOException {
    assertRefused(edit(doc -> object(doc, "/components/parameters/ProductCouponId/schema").put("maxLength", 20)),
        "POST " + BUDGET + " (updateStockBudget) parameter path product_coupon_id",
        "request field narrowed: maxLength 40 -> 20");
  }

  /** The case: openapi-diff calls a removed optional answer field compatible. */
  @Test
  void optionalAnswerFieldRemovedIsRefused() throws IOException {
    assertRefused(edit(doc -> {
      object(doc, "/components/schemas/DeliveryPlan/properties").remove("recommend_word");
      object(doc, "/paths/" + SpecSchemaPointers.escape(PLANS) + "/post/responses/200/content/application~1json/examples/seed/value/plan")
          .remove("recommend_word");
    }), "components.schemas.DeliveryPlan.recommend_word", "answer field removed");
  }

  @Test
  void answerFieldMadeOptionalIsRefused() throws IOException {
    assertRefused(edit(doc -> removeValue(array(doc, "/components/schemas/DeliveryPlan/required"), "plan_id")),
        "components.schemas.DeliveryPlan.plan_id", "answer field made optional");
  }

  @Test
  void answerEnumValueRemovedIsRefused() throws IOException {
    assertRefused(edit(doc -> removeValue(array(doc, "/components/schemas/PlanState/x-extensible-enum"), "PLAN_PAUSED")),
        "components.schemas.PlanState", "answer enum value removed: PLAN_PAUSED");
  }

  @Test
  void valueAddedToAClosedAnswerEnumIsRefused() throws IOException {
    assertRefused(edit(doc -> array(doc, "/components/schemas/CouponUsageMethod/enum").add("HOLOGRAM")),
        "components.schemas.CouponUsageMethod", "value added to a closed answer enum: HOLOGRAM");
  }

  @Test
  void typeChangeIsRefused() throws IOException {
    assertRefused(edit(doc -> object(doc, "/components/schemas/DeliveryPlan/properties/total_count")
            .put("type", "string").remove("format")),
        "components.schemas.DeliveryPlan.total_count", "type changed from integer to string");
  }

  @Test
  void operationRemovedIsRefused() throws IOException {
    assertRefused(edit(doc -> object(doc, "/paths").remove(BUDGET)),
        "POST " + BUDGET + " (updateStockBudget)", "operation removed");
  }

  @Test
  void responseStatusRemovedIsRefused() throws IOException {
    assertRefused(edit(doc -> object(doc, "/paths/" + SpecSchemaPointers.escape(BUNDLES) + "/post/responses").remove("404")),
        "POST " + BUNDLES + " (addStockBundle) response 404", "response 404 removed");
  }

  @Test
  void notificationResourceFieldRemovedIsRefused() throws IOException {
    assertRefused(edit(doc -> {
      object(doc, "/components/schemas/ProductCouponSend/properties").remove("openid");
      removeValue(array(doc, "/components/schemas/ProductCouponSend/required"), "openid");
      object(doc, "/components/schemas/ProductCouponSend/example").remove("openid");
    }), "components.schemas.ProductCouponSend.openid", "answer field removed");
  }

  @Test
  void notificationAnswerNarrowedIsRefused() throws IOException {
    assertRefused(edit(doc -> object(doc, "/components/schemas/NotificationAnswer/properties/message").put("maxLength", 10)),
        "components.schemas.NotificationAnswer.message", "request field narrowed: maxLength 10 added");
  }

  // ------------------------------------------------------------------ compatible edits

  @Test
  void compatibleEditsAreAcceptedAndLogged() throws IOException {
    CompatibilityGate.Verdict verdict = edit(doc -> {
      object(doc, "/components/schemas/DeliveryPlan/properties").putObject("audit_state")
          .put("type", "string").put("description", "审核状态 (audit state)");
      object(doc, "/components/schemas/CreateDeliveryPlanRequest/properties").putObject("remark")
          .put("type", "string").put("description", "备注 (remark)");
      object(doc, "/components/schemas/OutRequestNo").put("maxLength", 64);
      array(doc, "/components/schemas/PlanState/x-extensible-enum").add("PLAN_ARCHIVED");
      array(doc, "/components/schemas/UsageMode/enum").add("SEQUENTIAL");
      object(doc, "/components/schemas/DeliveryPlan").put("description", "投放计划详情 (delivery plan details).");
    });
    assertTrue(verdict.accepted, () -> "compatible edits were refused:\n" + verdict.refusal());
    assertEquals("", verdict.breakList(), "compatible edits were reported as breaking");
    String changelog = verdict.changelog();
    assertTrue(changelog.contains("Compatible with " + version()), changelog);
    // Same info.version as the published document: the changes are unreleased, never "version X against X".
    assertTrue(changelog.startsWith("## Unreleased changes since " + version() + "\n"), changelog);
    assertTrue(changelog.contains("info.version is still " + version()), changelog);
    assertTrue(changelog.contains(PLANS), () -> "the changelog does not name the changed operation:\n" + changelog);
  }

  @Test
  void aBreakingChangeWithANewMajorVersionIsAccepted() throws IOException {
    String next = (CompatibilityGate.major(version()) + 1) + ".0.0";
    CompatibilityGate.Verdict verdict = compare(next,
        doc -> object(doc, "/components/schemas/DeliveryPlan/properties").remove("recommend_word"));
    assertTrue(verdict.accepted, () -> "a break with a new major version was refused:\n" + verdict.refusal());
    assertTrue(verdict.changelog().contains("Breaking changes: new major version"), verdict::changelog);
    assertTrue(verdict.changelog().startsWith("## " + next + " (unreleased) against the published " + version() + "\n"),
        verdict::changelog);
    assertTrue(verdict.changelog().contains("recommend_word: answer field removed"), verdict::changelog);
  }

  @Test
  void aRefusedRunStillWritesItsChangelog() throws IOException {
    CompatibilityGate.Verdict verdict = edit(doc -> object(doc, "/paths").remove(BUDGET));
    Path changelog = scratch.resolve("target/changelog.md");
    String summary = verdict.writeChangelog(changelog);
    String written = Files.readString(changelog);
    assertTrue(summary.contains("REFUSED") && summary.contains(changelog.toString()),
        () -> "the one-line summary must say REFUSED and where the changelog is: " + summary);
    assertTrue(written.contains("**Refused**") && written.contains("operation removed"),
        () -> "the changelog of a refused run does not say why:\n" + written);
  }

  @Test
  void theUnchangedPublishedDocumentPasses() throws IOException {
    CompatibilityGate.Verdict verdict = compare(version(), doc -> { });
    assertTrue(verdict.accepted && verdict.unchanged,
        () -> "the published document compared with itself: accepted=" + verdict.accepted + ", unchanged="
            + verdict.unchanged + "\n" + verdict.changelog());
    // A clean clone: no phantom change "at X against published X".
    assertEquals("## Unreleased changes since " + version() + "\n\nNone: spec/openapi.yaml is the published " + version() + ".\n",
        verdict.changelog());
  }

  @Test
  void majorVersionsParse() {
    assertEquals(1, CompatibilityGate.major("1.4.2"), "major of 1.4.2");
    assertEquals(12, CompatibilityGate.major("12.0.0-rc.1"), "major of 12.0.0-rc.1");
  }

  // ------------------------------------------------------------------ helpers

  /** Refused, with a message that names the place and the rule. */
  private static void assertRefused(CompatibilityGate.Verdict verdict, String place, String rule) {
    assertFalse(verdict.accepted, () -> "the gate accepted a breaking edit (expected '" + place + ": " + rule
        + "'); its changelog:\n" + verdict.changelog());
    String message = verdict.refusal();
    assertTrue(message.contains(place + ": " + rule),
        () -> "the refusal does not name '" + place + ": " + rule + "':\n" + message);
  }

  /** The published document against a copy with one edit, both at the published version (a patch release). */
  private CompatibilityGate.Verdict edit(Consumer<ObjectNode> change) throws IOException {
    return compare(version(), change);
  }

  private CompatibilityGate.Verdict compare(String newVersion, Consumer<ObjectNode> change) throws IOException {
    ObjectNode edited = published.deepCopy();
    ((ObjectNode) edited.path("info")).put("version", newVersion);
    change.accept(edited);
    Path before = scratch.resolve("published.yaml");
    Path after = scratch.resolve("edited.yaml");
    SpecFiles.YAML.writeValue(before.toFile(), published);
    SpecFiles.YAML.writeValue(after.toFile(), edited);
    return CompatibilityGate.compare(before, after);
  }

  private String version() {
    return published.path("info").path("version").asText();
  }

  private static ObjectNode object(JsonNode doc, String pointer) {
    JsonNode node = doc.at(pointer);
    if (!node.isObject()) {
      throw new IllegalStateException("the published document has no object at " + pointer);
    }
    return (ObjectNode) node;
  }

  private static ArrayNode array(JsonNode doc, String pointer) {
    JsonNode node = doc.at(pointer);
    if (!node.isArray()) {
      throw new IllegalStateException("the published document has no array at " + pointer);
    }
    return (ArrayNode) node;
  }

  private static void removeValue(ArrayNode array, String value) {
    for (Iterator<JsonNode> it = array.iterator(); it.hasNext(); ) {
      if (it.next().asText().equals(value)) {
        it.remove();
        return;
      }
    }
    throw new IllegalStateException(value + " is not in " + array);
  }
}
