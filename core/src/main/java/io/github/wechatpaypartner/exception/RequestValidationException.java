package io.github.wechatpaypartner.exception;

import java.util.Collections;
import java.util.List;

/**
 * A request breaks constraints of the spec; thrown before anything is sent. The message lists
 * every problem, one per line, as {@code path.to.field: rule (value)}.
 */
public class RequestValidationException extends WechatPayException {
  private static final long serialVersionUID = 1L;

  private final String subject;
  private final transient List<Violation> violations;

  public RequestValidationException(String subject, List<Violation> violations) {
    super(message(subject, violations), null, subject);
    this.subject = subject;
    this.violations = Collections.unmodifiableList(List.copyOf(violations));
  }

  /** Throws when {@code violations} is not empty. */
  public static void throwIfAny(String subject, List<Violation> violations) {
    if (!violations.isEmpty()) {
      throw new RequestValidationException(subject, violations);
    }
  }

  /** The operationId (or model name) that was rejected. */
  public String subject() {
    return subject;
  }

  public List<Violation> violations() {
    return violations;
  }

  private static String message(String subject, List<Violation> violations) {
    StringBuilder sb = new StringBuilder(subject).append(": ").append(violations.size())
        .append(violations.size() == 1 ? " invalid value" : " invalid values").append(", nothing sent");
    for (Violation v : violations) {
      sb.append("\n  ").append(v);
    }
    return sb.toString();
  }
}
