package io.github.wechatpaypartner.client.runtime;

import io.github.wechatpaypartner.exception.Attempt;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an interceptor knows about the attempt it is part of: the operation, the attempt number,
 * the host, the attempts already made, and attributes private to this call (for example a
 * metrics timer started by one interceptor and stopped by another). One context per attempt; the
 * attributes map is shared by all attempts of the call and only touched by the call's thread.
 */
public final class CallContext {
  private final Operation operation;
  private final int attempt;
  private final URI host;
  private final List<Attempt> previousAttempts;
  private final Map<String, Object> attributes;

  public CallContext(Operation operation, int attempt, URI host, List<Attempt> previousAttempts,
      Map<String, Object> attributes) {
    this.operation = Objects.requireNonNull(operation, "operation");
    this.attempt = attempt;
    this.host = Objects.requireNonNull(host, "host");
    this.previousAttempts = List.copyOf(previousAttempts);
    this.attributes = Objects.requireNonNull(attributes, "attributes");
  }

  /** The operation as the spec declares it. */
  public Operation operation() {
    return operation;
  }

  /** 1 for the first attempt. */
  public int attempt() {
    return attempt;
  }

  /** The origin this attempt goes to, e.g. {@code https://api2.mch.weixin.qq.com}. */
  public URI host() {
    return host;
  }

  /** The attempts this call made before this one, first first. */
  public List<Attempt> previousAttempts() {
    return previousAttempts;
  }

  /** Mutable per-call attributes, shared by the attempts of this call only. */
  public Map<String, Object> attributes() {
    return attributes;
  }

  @Override
  public String toString() {
    return operation.id() + " attempt " + attempt + " to " + host;
  }
}
