package io.github.wechatpaypartner.client.runtime;

import io.github.wechatpaypartner.exception.Attempt;
import java.net.URI;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an interceptor knows about the call or attempt it is part of: the operation, the attempt
 * number (0 for a per-call interceptor, which sees the call as a whole), the host, the attempts
 * already made, and typed attributes private to this call (for example a timer started by one
 * interceptor and stopped by another). The attributes are shared by all steps of the call and
 * touched only by the call's thread.
 */
public final class CallContext {
  private final Operation operation;
  private final int attempt;
  private final URI host;
  private final List<Attempt> previousAttempts;
  private final Map<AttributeKey<?>, Object> attributes;

  CallContext(Operation operation, int attempt, URI host, List<Attempt> previousAttempts,
      Map<AttributeKey<?>, Object> attributes) {
    this.operation = Objects.requireNonNull(operation, "operation");
    this.attempt = attempt;
    this.host = Objects.requireNonNull(host, "host");
    this.previousAttempts = List.copyOf(previousAttempts);
    this.attributes = attributes;
  }

  /** A context of a new call, with its own empty attributes. */
  static CallContext newCall(Operation operation, URI firstHost) {
    return new CallContext(operation, 0, firstHost, List.of(), new IdentityHashMap<>());
  }

  /** The context of one attempt of this call (same attributes). */
  CallContext forAttempt(int number, URI attemptHost, List<Attempt> before) {
    return new CallContext(operation, number, attemptHost, before, attributes);
  }

  /** The operation as the spec declares it. */
  public Operation operation() {
    return operation;
  }

  /** 1 for the first attempt; 0 in a per-call interceptor. */
  public int attempt() {
    return attempt;
  }

  /** The origin this attempt goes to, e.g. {@code https://api2.mch.weixin.qq.com} (the first host for a per-call interceptor). */
  public URI host() {
    return host;
  }

  /** The attempts this call made before this one, first first. */
  public List<Attempt> previousAttempts() {
    return previousAttempts;
  }

  /** The value stored under {@code key} in this call, if any. */
  public <T> Optional<T> get(AttributeKey<T> key) {
    return Optional.ofNullable(key.cast(attributes.get(key)));
  }

  /** Stores {@code value} under {@code key} for the rest of this call. */
  public <T> void put(AttributeKey<T> key, T value) {
    attributes.put(Objects.requireNonNull(key, "key"), key.cast(Objects.requireNonNull(value, "value")));
  }

  @Override
  public String toString() {
    return operation.id() + (attempt == 0 ? " call" : " attempt " + attempt) + " to " + host;
  }
}
