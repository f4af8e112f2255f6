package io.github.wechatpaypartner.sandbox;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One way for the sandbox to misbehave on a call, in the text form shared by the
 * {@value #HEADER} request header, the {@code --fault} option and {@link #parse}:
 * {@code KIND[;param=value]...}, e.g. {@code RATE_LIMITED;retry-after=2}.
 */
public final class Fault {
  /**
   * Request header that makes the sandbox answer that one request with a fault, in the spirit of
   * the APIv2 sandbox's {@code Wechatpay-Negative-Test}. The request signature does not cover
   * headers, so adding it to a signed request is harmless.
   */
  public static final String HEADER = "Wechatpay-Sandbox-Fault";

  /** Every fault, with what it does ({@code --help} prints these). */
  public enum Kind {
    RATE_LIMITED(Stage.INSTEAD, "429 RATELIMIT_EXCEEDED, signed, request not processed; retry-after=SECONDS adds a Retry-After header", "retry-after"),
    SYSTEM_ERROR(Stage.INSTEAD, "500 SYSTEM_ERROR, signed, request not processed"),
    GATEWAY_502(Stage.INSTEAD, "502 from a gateway in front of the service: HTML body, unsigned, no Request-ID; not processed"),
    GATEWAY_503(Stage.INSTEAD, "503 from a gateway in front of the service: HTML body, unsigned, no Request-ID; not processed"),
    RESET(Stage.INSTEAD, "the connection is closed without an answer; request not processed"),
    ERROR_EXAMPLE(Stage.INSTEAD, "the spec's error example name=NAME (e.g. NOT_FOUND) with the status it is declared under, signed; not processed", "name"),
    SLOW(Stage.AFTER, "processed, then answered after delay=MILLIS (default 12000: past the client's default 10 s timeout)", "delay"),
    ANSWER_LOST(Stage.AFTER, "processed, but the answer is lost: as=500 (default) answers 500 SYSTEM_ERROR, as=reset closes the connection; a retry of addStockBundle then meets ALREADY_EXISTS", "as"),
    BAD_SIGNATURE(Stage.AFTER, "processed; Wechatpay-Signature is a valid signature of other bytes"),
    SIGNTEST_PROBE(Stage.AFTER, "processed; Wechatpay-Signature starts with WECHATPAY/SIGNTEST/ (the service's deliberate probe)"),
    STALE_TIMESTAMP(Stage.AFTER, "processed; signed with a Wechatpay-Timestamp age=SECONDS old (default 600, past the 5-minute window)", "age"),
    UNKNOWN_SERIAL(Stage.AFTER, "processed; signed by another key under a Wechatpay-Serial the client does not trust"),
    UNSIGNED(Stage.AFTER, "processed; the answer carries no Wechatpay-* signature headers");

    final Stage stage;
    public final String description;
    final List<String> parameters;

    Kind(Stage stage, String description, String... parameters) {
      this.stage = stage;
      this.description = description;
      this.parameters = List.of(parameters);
    }
  }

  /** INSTEAD of processing the request, or AFTER processing it, on its answer. */
  enum Stage { INSTEAD, AFTER }

  static final Duration DEFAULT_SLOW_DELAY = Duration.ofSeconds(12);
  static final Duration DEFAULT_STALE_AGE = Duration.ofMinutes(10);

  private final Kind kind;
  private final Map<String, String> parameters;

  private Fault(Kind kind, Map<String, String> parameters) {
    this.kind = Objects.requireNonNull(kind, "kind");
    for (Map.Entry<String, String> p : parameters.entrySet()) {
      if (!kind.parameters.contains(p.getKey())) {
        throw new IllegalArgumentException("fault " + kind + " has no parameter '" + p.getKey() + "'"
            + (kind.parameters.isEmpty() ? "" : " (it takes " + String.join(", ", kind.parameters) + ")"));
      }
      if (List.of("retry-after", "delay", "age").contains(p.getKey()) && !p.getValue().matches("[0-9]{1,9}")) {
        throw new IllegalArgumentException("fault " + kind + ": " + p.getKey() + " must be a whole number, got '"
            + p.getValue() + "'");
      }
      if (p.getKey().equals("as") && !List.of("500", "reset").contains(p.getValue())) {
        throw new IllegalArgumentException("fault " + kind + ": as must be 500 or reset, got '" + p.getValue() + "'");
      }
    }
    if (kind == Kind.ERROR_EXAMPLE && !parameters.containsKey("name")) {
      throw new IllegalArgumentException("fault ERROR_EXAMPLE needs name=EXAMPLE (an error example of the spec)");
    }
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  public static Fault of(Kind kind) {
    return new Fault(kind, Map.of());
  }

  /** 429 without {@code Retry-After}. */
  public static Fault rateLimited() {
    return of(Kind.RATE_LIMITED);
  }

  /** 429 with {@code Retry-After: seconds}. */
  public static Fault rateLimited(int retryAfterSeconds) {
    return new Fault(Kind.RATE_LIMITED, Map.of("retry-after", Integer.toString(retryAfterSeconds)));
  }

  public static Fault systemError() {
    return of(Kind.SYSTEM_ERROR);
  }

  /** An unsigned 502 or 503 from a gateway. */
  public static Fault gateway(int status) {
    if (status == 502) {
      return of(Kind.GATEWAY_502);
    }
    if (status == 503) {
      return of(Kind.GATEWAY_503);
    }
    throw new IllegalArgumentException("a gateway fault is 502 or 503, not " + status);
  }

  /** Processed, answered after {@code delay}. */
  public static Fault slow(Duration delay) {
    return new Fault(Kind.SLOW, Map.of("delay", Long.toString(delay.toMillis())));
  }

  public static Fault reset() {
    return of(Kind.RESET);
  }

  /** Processed; the client gets 500 SYSTEM_ERROR. */
  public static Fault answerLost() {
    return of(Kind.ANSWER_LOST);
  }

  /** Processed; the connection is closed without an answer. */
  public static Fault answerLostByReset() {
    return new Fault(Kind.ANSWER_LOST, Map.of("as", "reset"));
  }

  public static Fault badSignature() {
    return of(Kind.BAD_SIGNATURE);
  }

  public static Fault signTestProbe() {
    return of(Kind.SIGNTEST_PROBE);
  }

  public static Fault staleTimestamp() {
    return of(Kind.STALE_TIMESTAMP);
  }

  public static Fault unknownSerial() {
    return of(Kind.UNKNOWN_SERIAL);
  }

  public static Fault unsigned() {
    return of(Kind.UNSIGNED);
  }

  /** The spec's error example {@code name} (e.g. {@code NOT_FOUND}) with its declared status. */
  public static Fault errorExample(String name) {
    return new Fault(Kind.ERROR_EXAMPLE, Map.of("name", name));
  }

  /** {@code KIND[;param=value]...}, case-insensitive kind. */
  public static Fault parse(String text) {
    String[] parts = text.trim().split(";");
    Kind kind;
    try {
      kind = Kind.valueOf(parts[0].trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown fault '" + parts[0].trim() + "'; known: " + List.of(Kind.values()));
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].split("=", 2);
      if (kv.length != 2 || kv[0].isBlank()) {
        throw new IllegalArgumentException("fault parameter '" + parts[i].trim() + "' is not name=value");
      }
      parameters.put(kv[0].trim().toLowerCase(Locale.ROOT), kv[1].trim());
    }
    return new Fault(kind, parameters);
  }

  public Kind kind() {
    return kind;
  }

  Stage stage() {
    return kind.stage;
  }

  /** A parameter's value, or {@code null}. */
  public String parameter(String name) {
    return parameters.get(name);
  }

  Duration duration(String name, Duration otherwise, ChronoUnit unit) {
    String value = parameters.get(name);
    return value == null ? otherwise : Duration.of(Long.parseLong(value), unit);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fault && ((Fault) o).kind == kind && ((Fault) o).parameters.equals(parameters);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, parameters);
  }

  /** The text form, which {@link #parse} reads back. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(kind.name());
    parameters.forEach((k, v) -> s.append(';').append(k).append('=').append(v));
    return s.toString();
  }
}
