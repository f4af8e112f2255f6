package io.github.wechatpaypartner.client.validation;

import io.github.wechatpaypartner.exception.Violation;
import java.util.List;

/**
 * Implemented by every generated model: adds each constraint of the spec that this object breaks
 * to a list, so a request can be rejected with all its problems at once, before it is sent.
 */
public interface Validatable {
  /**
   * @param path JSON path of this object in the request ({@code ""} for the body itself)
   * @param out receives one {@link Violation} per broken constraint
   */
  void collectViolations(String path, List<Violation> out);
}
