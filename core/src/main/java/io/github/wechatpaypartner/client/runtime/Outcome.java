package io.github.wechatpaypartner.client.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.exception.Attempt;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * How one attempt ended, as a value: the answer classified (success, service error, gateway
 * error, verification failure) with its {@code Retry-After}, or the I/O failure classified
 * (unreachable, timed out, other). The retry policy decides from it, the attempt is recorded from
 * it, and the call's exception is built from the last one.
 */
public final class Outcome {
  /** The classes of outcome. */
  public enum Kind {
    /** A verified (or, in mock mode, unverified by choice) 2xx. */
    SUCCESS,
    /** A verified non-2xx: WeChat Pay refused the call. */
    SERVICE_ERROR,
    /** A non-2xx without signature headers: a gateway or proxy answered. */
    GATEWAY_ERROR,
    /** An answer that failed verification (or skipped it): never trusted, never retried. */
    VERIFICATION_FAILED,
    /** Connection refused, connect timeout, unknown host: the request never left. */
    UNREACHABLE,
    /** Sent (or maybe sent), but the whole answer did not arrive in time. */
    TIMED_OUT,
    /** Any other I/O failure (reset, TLS, an answer over the size limit): the request may have been processed. */
    FAILED
  }

  private final Kind kind;
  private final IncomingResponse response;
  private final Duration retryAfter;
  private final IOException failure;

  private Outcome(Kind kind, IncomingResponse response, Duration retryAfter, IOException failure) {
    this.kind = kind;
    this.response = response;
    this.retryAfter = retryAfter;
    this.failure = failure;
  }

  /** Classifies an answer by its verdict and status. */
  public static Outcome of(IncomingResponse response, Instant now) {
    Kind kind;
    switch (response.verdict().kind()) {
      case VERIFIED:
      case NOT_VERIFIED:
        kind = response.isSuccess() ? Kind.SUCCESS : Kind.SERVICE_ERROR;
        break;
      case UNSIGNED_ERROR:
        kind = response.isSuccess() ? Kind.VERIFICATION_FAILED : Kind.GATEWAY_ERROR;
        break;
      default:
        kind = Kind.VERIFICATION_FAILED;
        break;
    }
    String header = response.header("Retry-After");
    Duration wait = header == null ? null : retryAfter(header, now).orElse(null);
    return new Outcome(kind, response, wait, null);
  }

  /** Classifies an I/O failure. */
  public static Outcome of(IOException failure) {
    // HttpConnectTimeoutException extends HttpTimeoutException: test it first.
    Kind kind;
    if (failure instanceof HttpConnectTimeoutException || failure instanceof ConnectException
        || failure instanceof UnknownHostException || failure instanceof NoRouteToHostException) {
      kind = Kind.UNREACHABLE;
    } else if (failure instanceof HttpTimeoutException) {
      kind = Kind.TIMED_OUT;
    } else {
      kind = Kind.FAILED;
    }
    return new Outcome(kind, null, null, failure);
  }

  public Kind kind() {
    return kind;
  }

  /** The answer, when one came. */
  public Optional<IncomingResponse> response() {
    return Optional.ofNullable(response);
  }

  /** The answer's status, or 0 when none came. */
  public int statusCode() {
    return response == null ? 0 : response.statusCode();
  }

  /** The wait the answer's {@code Retry-After} asked for, when it had a readable one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The I/O failure, when no answer came. */
  public Optional<IOException> failure() {
    return Optional.ofNullable(failure);
  }

  /** The record of the attempt that ended so; {@code retryableStatus}: the policy retries its status. */
  Attempt toAttempt(int number, String host, Duration waited, Attempt.Wait waitReason,
      boolean retryableStatus, ObjectMapper mapper, Duration latency) {
    Attempt.Outcome recorded;
    switch (kind) {
      case UNREACHABLE:
        recorded = Attempt.Outcome.UNREACHABLE;
        break;
      case TIMED_OUT:
        recorded = Attempt.Outcome.TIMED_OUT;
        break;
      case FAILED:
        recorded = Attempt.Outcome.FAILED;
        break;
      default:
        recorded = retryableStatus ? Attempt.Outcome.RETRYABLE_STATUS : Attempt.Outcome.ANSWERED;
    }
    String error = kind == Kind.VERIFICATION_FAILED ? "failed verification [" + response.verdict() + "]"
        : failure != null ? failure.toString() : null;
    return new Attempt(number, host, waited, waitReason, recorded, statusCode(),
        response == null ? null : response.requestId(), errorCode(mapper), error, latency);
  }

  /** The WeChat Pay error {@code code} of a verified error answer. */
  private String errorCode(ObjectMapper mapper) {
    if (kind != Kind.SERVICE_ERROR) {
      return null;
    }
    try {
      JsonNode code = mapper.readTree(response.body()).path("code");
      return code.isTextual() ? code.asText() : null;
    } catch (IOException | RuntimeException notJson) {
      return null;
    }
  }

  /**
   * The wait a {@code Retry-After} header asks for: delay-seconds or an HTTP-date (RFC 1123).
   * Empty when unreadable (the backoff applies then); a date in the past gives zero.
   */
  static Optional<Duration> retryAfter(String header, Instant now) {
    String value = header.trim();
    if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
      } catch (NumberFormatException tooLong) {
        return Optional.of(Duration.ofSeconds(Long.MAX_VALUE)); // longer than any budget
      }
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException unreadable) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return kind + (response != null ? " " + response : " " + failure);
  }
}
