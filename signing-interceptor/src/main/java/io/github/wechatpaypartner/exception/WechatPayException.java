package io.github.wechatpaypartner.exception;

import java.util.List;
import java.util.Objects;

/**
 * The root of everything this SDK throws: catch it to catch every failure of a call, of the
 * client's configuration or of a notification. Unchecked, like the exceptions of the JDK's own
 * HTTP and JSON APIs the SDK is built on.
 *
 * <p>A failure that involved the network carries {@link #attempts()}: every attempt of the call
 * (host, status or error, Request-ID, wait before it), the last one last.
 */
public class WechatPayException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String operationId;
  private volatile List<Attempt> attempts = List.of();

  public WechatPayException(String message) {
    this(message, null, null);
  }

  public WechatPayException(String message, Throwable cause) {
    this(message, cause, null);
  }

  /** @param operationId the spec's operationId of the failed call, or {@code null} */
  public WechatPayException(String message, Throwable cause, String operationId) {
    super(message, cause);
    this.operationId = operationId;
  }

  /** The spec's operationId of the failed call (e.g. {@code addStockBundle}), or {@code null}. */
  public String operationId() {
    return operationId;
  }

  /** Every attempt the call made, first first; empty when nothing was sent. */
  public List<Attempt> attempts() {
    return attempts;
  }

  /**
   * Records the attempts of the call that ended with this exception; called once by the client
   * when the call ends. A later call does not replace them.
   */
  public WechatPayException withAttempts(List<Attempt> callAttempts) {
    Objects.requireNonNull(callAttempts, "callAttempts");
    synchronized (this) {
      if (attempts.isEmpty()) {
        attempts = List.copyOf(callAttempts);
      }
    }
    return this;
  }

  /** The message, then one line per attempt when there was more than one. */
  @Override
  public String getMessage() {
    List<Attempt> all = attempts;
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
