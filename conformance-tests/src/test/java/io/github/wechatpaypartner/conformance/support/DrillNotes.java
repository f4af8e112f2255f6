package io.github.wechatpaypartner.conformance.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.sandbox.OperationCall;
import io.github.wechatpaypartner.sandbox.OperationState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * State for the growth drill's {@code createDrillNote}, written as a user adds state for a new
 * operation: this one class, named in {@code META-INF/services/io.github.wechatpaypartner.sandbox.OperationState}
 * (test resources). A note gets the next id; the same {@code out_request_no} again gets the same
 * note; the note text {@value #REFUSED} is refused with the spec's PARAM_ERROR naming it. Sandboxes
 * on a spec without the operation leave it out.
 */
public final class DrillNotes implements OperationState {
  /** A note text this state refuses, to show a refusal from the spec's error examples. */
  public static final String REFUSED = "refused";
  private final Map<String, ObjectNode> byRequestNo = new LinkedHashMap<>();

  @Override
  public String operationId() {
    return GrowthSpec.POST;
  }

  @Override
  public JsonNode answer(OperationCall call) {
    ObjectNode body = call.body();
    if (REFUSED.equals(body.path("note").asText())) {
      throw call.refuse("PARAM_ERROR", "/note", body.get("note"), "this note is refused by the drill's state", "body");
    }
    return byRequestNo.computeIfAbsent(body.path("out_request_no").asText(), no -> {
      ObjectNode note = call.operation().successExample().deepCopy();
      note.put("note_id", Integer.toString(1001 + byRequestNo.size()));
      note.setAll(body);
      return note;
    }).deepCopy();
  }

  @Override
  public void reset() {
    byRequestNo.clear();
  }
}
