package io.github.wechatpaypartner.conformance.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The growth of the growth drill: a scratch copy of the spec (never the real one) with what a new
 * page of WeChat Pay typically brings, written as a spec author would: a GET by id with path and
 * query parameters and no body (the usual query), a POST with a new request schema under a new
 * tag, a DELETE answered 204, an optional answer field, and a new notification event.
 */
public final class GrowthSpec {
  public static final String GET = "getDeliveryPlan";
  public static final String POST = "createDrillNote";
  public static final String DELETE = "deleteDrillNote";
  public static final String EVENT = "DRILL_NOTE.CREATED";
  public static final String EVENT_RESOURCE = "DrillNoteCreated";
  public static final String OPTIONAL_FIELD = "drill_remark";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private GrowthSpec() {
  }

  /** Writes the grown copy of {@code spec} to {@code scratch}; returns it. */
  public static Path write(Path spec, Path scratch) throws IOException {
    ObjectNode root = (ObjectNode) YAML.readTree(spec.toFile());
    ObjectNode paths = (ObjectNode) root.get("paths");
    ObjectNode schemas = (ObjectNode) root.path("components").path("schemas");
    root.with("info").put("version", root.path("info").path("version").asText() + "-drill");

    // An optional answer field: the plan gains one, shown in the new GET's example only.
    schemas.with("DeliveryPlan").with("properties").putObject(OPTIONAL_FIELD)
        .put("description", "备注 (remark), added by the growth drill").put("type", "string");

    JsonNode createPlan = paths.path("/v3/marketing/partner/delivery-plan/delivery-plans").path("post");
    ObjectNode plan = createPlan.at("/responses/200/content/application~1json/examples/seed/value/plan").deepCopy();
    plan.put(OPTIONAL_FIELD, "drill");
    ObjectNode get = paths.putObject("/v3/marketing/partner/delivery-plan/delivery-plans/{plan_id}").putObject("get");
    get.put("operationId", GET).put("summary", "查询投放计划 (drill: get a delivery plan)");
    get.putArray("tags").add("DeliveryPlan");
    ArrayNode params = get.putArray("parameters");
    ObjectNode planId = params.addObject().put("name", "plan_id").put("in", "path").put("required", true)
        .put("description", "投放计划ID").put("example", plan.path("plan_id").asText());
    planId.putObject("schema").put("type", "string").put("maxLength", 32).put("pattern", "^[0-9]+$");
    ObjectNode brand = params.addObject().put("name", "brand_id").put("in", "query").put("required", true)
        .put("description", "品牌ID").put("example", plan.path("brand_id").asText());
    brand.putObject("schema").put("type", "string").put("minLength", 1).put("maxLength", 20).put("pattern", "^[0-9]+$");
    ObjectNode limit = params.addObject().put("name", "limit").put("in", "query").put("required", false)
        .put("description", "条数 (a number in the query)").put("example", 10);
    limit.putObject("schema").put("type", "integer").put("minimum", 1).put("maximum", 100);
    ObjectNode getResponses = get.putObject("responses");
    ObjectNode ok = getResponses.putObject("200").put("description", "The delivery plan.");
    ObjectNode okJson = ok.putObject("content").putObject("application/json");
    okJson.putObject("schema").put("$ref", "#/components/schemas/DeliveryPlan");
    okJson.putObject("examples").putObject("seed").set("value", plan);
    errors(createPlan, getResponses);

    schemas.putObject("DrillNoteRequest").put("type", "object").put("description", "drill: a new request schema")
        .<ObjectNode>set("required", YAML.createArrayNode().add("out_request_no").add("note"))
        .with("properties").<ObjectNode>set("out_request_no", YAML.createObjectNode().put("type", "string")
            .put("minLength", 6).put("maxLength", 32).put("pattern", "^[0-9A-Za-z_-]+$"))
        .set("note", YAML.createObjectNode().put("type", "string").put("maxLength", 20));
    schemas.putObject("DrillNote").put("type", "object").put("description", "drill: a new answer schema")
        .<ObjectNode>set("required", YAML.createArrayNode().add("note_id"))
        .with("properties").<ObjectNode>set("note_id", YAML.createObjectNode().put("type", "string"))
        .<ObjectNode>set("out_request_no", YAML.createObjectNode().put("type", "string"))
        .set("note", YAML.createObjectNode().put("type", "string"));
    ObjectNode post = paths.putObject("/v3/marketing/partner/drill/notes").putObject("post");
    post.put("operationId", POST).put("summary", "drill: a POST with a new request schema and a new tag");
    post.putArray("tags").add("DrillNote");
    ObjectNode body = post.putObject("requestBody").put("required", true).putObject("content").putObject("application/json");
    body.putObject("schema").put("$ref", "#/components/schemas/DrillNoteRequest");
    body.putObject("examples").putObject("first").putObject("value").put("out_request_no", "note_0001").put("note", "周末");
    ObjectNode postResponses = post.putObject("responses");
    ObjectNode created = postResponses.putObject("200").put("description", "The note.").putObject("content")
        .putObject("application/json");
    created.putObject("schema").put("$ref", "#/components/schemas/DrillNote");
    created.putObject("examples").putObject("first").putObject("value").put("note_id", "1001")
        .put("out_request_no", "note_0001").put("note", "周末");
    errors(createPlan, postResponses);

    ObjectNode delete = paths.putObject("/v3/marketing/partner/drill/notes/{note_id}").putObject("delete");
    delete.put("operationId", DELETE).put("summary", "drill: a DELETE answered 204");
    delete.putArray("tags").add("DrillNote");
    ObjectNode noteId = delete.putArray("parameters").addObject().put("name", "note_id").put("in", "path")
        .put("required", true).put("example", "1001");
    noteId.putObject("schema").put("type", "string").put("maxLength", 32).put("pattern", "^[0-9]+$");
    ObjectNode deleteResponses = delete.putObject("responses");
    deleteResponses.putObject("204").put("description", "Deleted; no body.");
    errors(createPlan, deleteResponses);

    // A new notification event, shaped like the first one, decrypting to a new schema.
    ObjectNode hooks = (ObjectNode) root.get("x-webhooks");
    ObjectNode hook = hooks.elements().next().deepCopy();
    hook.with("post").put("operationId", "onDrillNoteCreated").with("x-wechatpay-decrypted-resource")
        .put("$ref", "#/components/schemas/" + EVENT_RESOURCE);
    hooks.set(EVENT, hook);
    ObjectNode resource = schemas.putObject(EVENT_RESOURCE).put("type", "object").put("description", "drill: a new event");
    resource.putArray("required").add("note_id");
    resource.with("properties").set("note_id", YAML.createObjectNode().put("type", "string"));
    resource.with("properties").set("out_request_no", YAML.createObjectNode().put("type", "string"));
    resource.putObject("example").put("note_id", "1001").put("out_request_no", "note_0001");

    Files.createDirectories(scratch.getParent());
    YAML.writeValue(scratch.toFile(), root);
    return scratch;
  }

  /** The error answers of {@code model} (as written: refs stay refs), for a new operation. */
  private static void errors(JsonNode model, ObjectNode responses) {
    model.path("responses").fields().forEachRemaining(r -> {
      if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
        responses.set(r.getKey(), r.getValue().deepCopy());
      }
    });
  }
}
