package io.github.wechatpaypartner.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request the service refuses: one of the spec's named error examples (its status, code and
 * message) with an optional {@code detail} saying which field broke which rule.
 */
final class ServiceError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final transient ServiceSpec.ErrorExample example;
  final transient JsonNode detail;

  ServiceError(ServiceSpec.ErrorExample example, JsonNode detail) {
    super(example.name + (detail == null ? "" : " " + detail), null, false, false);
    this.example = example;
    this.detail = detail;
  }

  /** {@code {"field", "value", "issue", "location"}}; {@code value} left out when null. */
  static ObjectNode detail(String field, JsonNode value, String issue, String location) {
    ObjectNode detail = JsonNodeFactory.instance.objectNode();
    detail.put("field", field);
    if (value != null) {
      detail.set("value", value);
    }
    detail.put("issue", issue);
    detail.put("location", location);
    return detail;
  }

  int status() {
    return example.status;
  }

  ObjectNode body() {
    return example.withDetail(detail);
  }
}
