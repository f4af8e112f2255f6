package io.github.wechatpaypartner.exception;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One attempt of a call: where it went, how long it waited first, and what came back. Holds
 * no headers and no body, so it is safe to log.
 */
public final class Attempt {

  /** Why the attempt waited before it was sent. */
  public enum Wait {
    /** The first attempt does not wait. */
    NONE,
    /** Exponential backoff with jitter. */
    BACKOFF,
    /** The previous answer's {@code Retry-After} header. */
    RETRY_AFTER,
    /** The previous host could not be reached; a host not yet tried is used at once. */
    FAILOVER
  }

  /** How the attempt ended. */
  public enum Outcome {
    /** An answer that is not retried (2xx, or a status outside the retried set). */
    ANSWERED,
    /** An answer with a retried status (429, 500 by default). */
    RETRYABLE_STATUS,
    /** The host could not be reached: connection refused, connect timeout, unknown host. */
    UNREACHABLE,
    /** The request was sent (or may have been) but no answer came within the request timeout. */
    TIMED_OUT,
    /** Another I/O failure, not retried: the request may have been processed. */
    FAILED
  }

  private final int number;
  private final String host;
  private final Duration waited;
  private final Wait waitReason;
  private final Outcome outcome;
  private final int statusCode;
  private final String requestId;
  private final String errorCode;
  private final String error;
  private final Duration latency;

  public Attempt(int number, String host, Duration waited, Wait waitReason, Outcome outcome,
      int statusCode, String requestId, String errorCode, String error, Duration latency) {
    this.number = number;
    this.host = Objects.requireNonNull(host, "host");
    this.waited = Objects.requireNonNull(waited, "waited");
    this.waitReason = Objects.requireNonNull(waitReason, "waitReason");
    this.outcome = Objects.requireNonNull(outcome, "outcome");
    this.statusCode = statusCode;
    this.requestId = requestId;
    this.errorCode = errorCode;
    this.error = error;
    this.latency = Objects.requireNonNull(latency, "latency");
  }

  /** 1 for the first attempt. */
  public int number() {
    return number;
  }

  /** Host and port the attempt was sent to, e.g. {@code api2.mch.weixin.qq.com}. */
  public String host() {
    return host;
  }

  /** How long the client waited before sending this attempt. */
  public Duration waited() {
    return waited;
  }

  public Wait waitReason() {
    return waitReason;
  }

  public Outcome outcome() {
    return outcome;
  }

  /** The HTTP status, when an answer came. */
  public OptionalInt statusCode() {
    return statusCode > 0 ? OptionalInt.of(statusCode) : OptionalInt.empty();
  }

  /** The answer's {@code Request-ID}, or {@code null}. */
  public String requestId() {
    return requestId;
  }

  /** The WeChat Pay error {@code code} of a verified error answer (e.g. {@code SYSTEM_ERROR}), or {@code null}. */
  public String errorCode() {
    return errorCode;
  }

  /** The failure as {@code ExceptionClass: message}, or {@code null} when an answer came. */
  public String error() {
    return error;
  }

  /** Time from sending to the answer or failure. */
  public Duration latency() {
    return latency;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append('#').append(number).append(' ').append(host).append(" after waiting ")
        .append(waited.toMillis()).append(" ms");
    if (waitReason != Wait.NONE) {
      sb.append(" (").append(waitReason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
          .append(')');
    }
    sb.append(": ");
    if (statusCode > 0) {
      sb.append("HTTP ").append(statusCode);
      if (errorCode != null) {
        sb.append(' ').append(errorCode);
      }
      sb.append(", Request-ID ").append(requestId);
      if (error != null) {
        sb.append(" (").append(error).append(')');
      }
    } else {
      switch (outcome) {
        case UNREACHABLE:
          sb.append("host unreachable");
          break;
        case TIMED_OUT:
          sb.append("timed out");
          break;
        default:
          sb.append("failed");
          break;
      }
      sb.append(" (").append(error).append(')');
    }
    sb.append(" in ").append(latency.toMillis()).append(" ms");
    return sb.toString();
  }
}
