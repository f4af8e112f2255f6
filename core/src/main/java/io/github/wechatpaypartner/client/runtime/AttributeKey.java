package io.github.wechatpaypartner.client.runtime;

import java.util.Objects;

/**
 * The typed key of a per-call attribute ({@link CallContext#get}, {@link CallContext#put}): one
 * interceptor starts a timer, another reads it, and the compiler checks the type. Keys compare by
 * identity: keep each as a constant.
 *
 * @param <T> the type of the value
 */
public final class AttributeKey<T> {
  private final String name;
  private final Class<T> type;

  private AttributeKey(String name, Class<T> type) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
  }

  public static <T> AttributeKey<T> of(String name, Class<T> type) {
    return new AttributeKey<>(name, type);
  }

  T cast(Object value) {
    return type.cast(value);
  }

  @Override
  public String toString() {
    return name + ":" + type.getSimpleName();
  }
}
