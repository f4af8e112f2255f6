package io.github.wechatpaypartner.client.resilience;

import io.github.wechatpaypartner.client.hook.IncomingResponse;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * Every attempt of one call and why the client stopped. Reach it from the outcome: for an
 * I/O failure through {@link RetriesExhaustedException#history()}; for an answer (a 2xx, or
 * the last 429/500 once retries are spent) through {@link #of(IncomingResponse)}.
 */
public final class AttemptHistory {

  /*
   * The last 429/500 is returned as an answer, not thrown, so the generated API turns it into
   * its typed WeChat error; the history is kept beside that response object. Weak keys (and
   * IncomingResponse's identity equality) mean it lives exactly as long as the response.
   */
  private static final Map<IncomingResponse, AttemptHistory> BY_RESPONSE =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final String operationId;
  private final String method;
  private final String path;
  private final List<Attempt> attempts;
  private final String stopReason;

  AttemptHistory(String operationId, String method, String path, List<Attempt> attempts,
      String stopReason) {
    this.operationId = Objects.requireNonNull(operationId, "operationId");
    this.method = Objects.requireNonNull(method, "method");
    this.path = Objects.requireNonNull(path, "path");
    this.attempts = List.copyOf(attempts);
    this.stopReason = Objects.requireNonNull(stopReason, "stopReason");
  }

  /** The history of the call that returned {@code response}, if a {@link RetryingExchange} made it. */
  public static Optional<AttemptHistory> of(IncomingResponse response) {
    return Optional.ofNullable(BY_RESPONSE.get(response));
  }

  static void attach(IncomingResponse response, AttemptHistory history) {
    BY_RESPONSE.put(response, history);
  }

  public String operationId() {
    return operationId;
  }

  public String method() {
    return method;
  }

  /** The request path, without query. */
  public String path() {
    return path;
  }

  /** In order, the first attempt first. Never empty. */
  public List<Attempt> attempts() {
    return attempts;
  }

  public Attempt last() {
    return attempts.get(attempts.size() - 1);
  }

  /** Why no further attempt was made, e.g. {@code "answered HTTP 200"} or {@code "3 attempts made (maxAttempts 3)"}. */
  public String stopReason() {
    return stopReason;
  }

  /** One line per attempt, after a summary line. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(operationId).append(' ').append(method).append(' ').append(path).append(": ")
        .append(attempts.size()).append(attempts.size() == 1 ? " attempt" : " attempts")
        .append(", stopped: ").append(stopReason);
    for (Attempt a : attempts) {
      sb.append("\n  ").append(a);
    }
    return sb.toString();
  }
}
