package io.github.wechatpaypartner.exception;

import java.util.List;
import java.util.Objects;

/**
 * The root of everything this SDK throws: catch it to catch every failure of a call, of the
 * client's configuration or of a notification. Unchecked, like the exceptions of the JDK's own
 * HTTP and JSON APIs the SDK is built on.
 *
 * <p>A failure that involved the network carries {@link #attempts()}: every attempt of the call
 * (host, status or error, Request-ID, wait before it), the last one last. They are fixed when the
 * exception is made: the call builds its exception once, when it ends.
 */
public class WechatPayException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String operationId;
  private final transient List<Attempt> attempts;

  public WechatPayException(String message) {
    this(message, null, null);
  }

  public WechatPayException(String message, Throwable cause) {
    this(message, cause, null);
  }

  /** @param operationId the spec's operationId of the failed call, or {@code null} */
  public WechatPayException(String message, Throwable cause, String operationId) {
    this(message, cause, operationId, List.of());
  }

  /**
   * @param operationId the spec's operationId of the failed call, or {@code null}
   * @param attempts every attempt of the call, first first (empty when nothing was sent)
   */
  public WechatPayException(String message, Throwable cause, String operationId, List<Attempt> attempts) {
    super(message, cause);
    this.operationId = operationId;
    this.attempts = List.copyOf(Objects.requireNonNull(attempts, "attempts"));
  }

  /** The spec's operationId of the failed call (e.g. {@code addStockBundle}), or {@code null}. */
  public String operationId() {
    return operationId;
  }

  /** Every attempt the call made, first first; empty when nothing was sent. */
  public List<Attempt> attempts() {
    return attempts == null ? List.of() : attempts;
  }

  /** The message, then one line per attempt when there was more than one. */
  @Override
  public String getMessage() {
    List<Attempt> all = attempts();
    if (all.size() < 2) {
      return super.getMessage();
    }
    StringBuilder sb = new StringBuilder(String.valueOf(super.getMessage()))
        .append("\n  ").append(all.size()).append(" attempts:");
    for (Attempt a : all) {
      sb.append("\n    ").append(a);
    }
    return sb.toString();
  }
}
