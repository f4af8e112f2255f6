package io.github.wechatpaypartner.client.runtime;

import io.github.wechatpaypartner.exception.ConfigurationException;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * An operation as the spec declares it: operationId, method, path template, the rate limit of
 * its {@code x-wechatpay-rate-limit} (if the spec states one) and the notifications it leads to.
 * The generated {@code SpecCatalog} holds one per operation; nothing here is typed by hand.
 */
public final class Operation {
  private final String id;
  private final String method;
  private final String path;
  private final int rateLimitPerSecond;
  private final List<String> notifications;

  /**
   * @param rateLimitPerSecond the spec's {@code x-wechatpay-rate-limit}, 0 when the spec states none
   */
  public Operation(String id, String method, String path, int rateLimitPerSecond,
      List<String> notifications) {
    this.id = Objects.requireNonNull(id, "id");
    this.method = Objects.requireNonNull(method, "method");
    this.path = Objects.requireNonNull(path, "path");
    if (rateLimitPerSecond < 0) {
      throw new ConfigurationException(id + ": x-wechatpay-rate-limit must not be negative");
    }
    this.rateLimitPerSecond = rateLimitPerSecond;
    this.notifications = List.copyOf(notifications);
  }

  /** The spec's operationId, e.g. {@code addStockBundle}. */
  public String id() {
    return id;
  }

  /** Upper-case HTTP method. */
  public String method() {
    return method;
  }

  /** The path template, e.g. {@code /v3/.../product-coupons/{product_coupon_id}/stock-bundles}. */
  public String path() {
    return path;
  }

  /** Requests per second the service accepts for this operation; empty when the spec states no limit. */
  public OptionalInt rateLimitPerSecond() {
    return rateLimitPerSecond > 0 ? OptionalInt.of(rateLimitPerSecond) : OptionalInt.empty();
  }

  /** Event types of the notifications the created resource later produces ({@code x-wechatpay-notifications}). */
  public List<String> notifications() {
    return notifications;
  }

  @Override
  public String toString() {
    return id + " " + method + " " + path;
  }
}
