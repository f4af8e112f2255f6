package io.github.wechatpaypartner.sandbox;

import java.util.Objects;

/**
 * When an armed {@link Fault} fires: on calls of one operation (or of any, {@code *}), for the next
 * N calls, on every N-th call, or on every call. Text form (the {@code --fault} option):
 * {@code OPERATION:FAULT[:next=N|:every=N]}, e.g. {@code addStockBundle:GATEWAY_503:next=1} or
 * {@code *:RATE_LIMITED;retry-after=1:every=3}. Thread-safe.
 */
public final class FaultRule {
  /** Matches calls of every operation. */
  public static final String ANY_OPERATION = "*";

  private enum Trigger { NEXT, EVERY, ALWAYS }

  private final String operationId;
  private final Fault fault;
  private final Trigger trigger;
  private final int count;
  private int seen;
  private int fired;

  private FaultRule(String operationId, Fault fault, Trigger trigger, int count) {
    this.operationId = Objects.requireNonNull(operationId, "operationId");
    this.fault = Objects.requireNonNull(fault, "fault");
    this.trigger = trigger;
    if (count < 1) {
      throw new IllegalArgumentException("a fault rule's count must be at least 1, got " + count);
    }
    this.count = count;
  }

  /** The next {@code times} calls of {@code operationId} get {@code fault}; then the rule is spent. */
  public static FaultRule next(int times, String operationId, Fault fault) {
    return new FaultRule(operationId, fault, Trigger.NEXT, times);
  }

  /** Every {@code n}-th call of {@code operationId} (the n-th, the 2n-th, ...) gets {@code fault}. */
  public static FaultRule every(int n, String operationId, Fault fault) {
    return new FaultRule(operationId, fault, Trigger.EVERY, n);
  }

  /** Every call of {@code operationId} gets {@code fault} until the rule is disarmed. */
  public static FaultRule always(String operationId, Fault fault) {
    return new FaultRule(operationId, fault, Trigger.ALWAYS, 1);
  }

  /** {@code OPERATION:FAULT[:next=N|:every=N]}. */
  public static FaultRule parse(String text) {
    String[] parts = text.trim().split(":");
    if (parts.length < 2 || parts.length > 3 || parts[0].isBlank()) {
      throw new IllegalArgumentException("fault rule '" + text + "' is not OPERATION:FAULT[:next=N|:every=N]");
    }
    Fault fault = Fault.parse(parts[1]);
    if (parts.length == 2) {
      return always(parts[0].trim(), fault);
    }
    String[] when = parts[2].trim().split("=", 2);
    int n;
    try {
      n = Integer.parseInt(when.length == 2 ? when[1].trim() : "");
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("fault rule '" + text + "': '" + parts[2] + "' is not next=N or every=N");
    }
    switch (when[0].trim()) {
      case "next":
        return next(n, parts[0].trim(), fault);
      case "every":
        return every(n, parts[0].trim(), fault);
      default:
        throw new IllegalArgumentException("fault rule '" + text + "': '" + parts[2] + "' is not next=N or every=N");
    }
  }

  public String operationId() {
    return operationId;
  }

  public Fault fault() {
    return fault;
  }

  /** How many calls this rule has answered so far. */
  public synchronized int fired() {
    return fired;
  }

  /** A {@code next} rule that has fired its count. */
  public synchronized boolean spent() {
    return trigger == Trigger.NEXT && fired >= count;
  }

  /** Counts a call of {@code calledOperation}; true when this call gets the fault. */
  synchronized boolean fires(String calledOperation) {
    if (!(ANY_OPERATION.equals(operationId) || operationId.equals(calledOperation)) || spent()) {
      return false;
    }
    seen++;
    boolean fires = trigger != Trigger.EVERY || seen % count == 0;
    if (fires) {
      fired++;
    }
    return fires;
  }

  /** The text form, which {@link #parse} reads back. */
  @Override
  public String toString() {
    return operationId + ":" + fault
        + (trigger == Trigger.NEXT ? ":next=" + count : trigger == Trigger.EVERY ? ":every=" + count : "");
  }
}
