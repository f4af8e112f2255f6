package io.github.wechatpaypartner.exception;

import java.util.Objects;

/** One broken constraint: where ({@code stock_bundle.remark}), which rule, and the offending value. */
public final class Violation {
  private final String path;
  private final String rule;
  private final String value;

  public Violation(String path, String rule, String value) {
    this.path = Objects.requireNonNull(path, "path");
    this.rule = Objects.requireNonNull(rule, "rule");
    this.value = value;
  }

  /** JSON path of the field, e.g. {@code stock_bundle.usage_rule_display_info.coupon_usage_method_list[0]}. */
  public String path() {
    return path;
  }

  /** The rule, e.g. {@code length must be <= 40}. */
  public String rule() {
    return rule;
  }

  /** The offending value as text ({@code null} for a missing value). */
  public String value() {
    return value;
  }

  /** {@code path.to.field: rule (value)}. */
  @Override
  public String toString() {
    return path + ": " + rule + " (" + value + ")";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Violation)) {
      return false;
    }
    Violation other = (Violation) o;
    return path.equals(other.path) && rule.equals(other.rule) && Objects.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, rule, value);
  }
}
