package io.github.wechatpaypartner.client.runtime;

import io.github.wechatpaypartner.client.validation.Constraints;
import io.github.wechatpaypartner.exception.Violation;
import io.github.wechatpaypartner.client.validation.Validatable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.StringJoiner;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One call as a generated API method describes it: the operation, the type of its answer, its
 * parameters and body, and the parameter checks the generator derived from the spec. The
 * client validates, serializes, signs, sends and reads it; the generated code does nothing else.
 *
 * @param <T> the type of the 2xx answer's body
 */
public final class ApiCall<T> {
  private final Operation operation;
  private final Class<T> responseType;
  private final Map<String, Object> pathParams = new LinkedHashMap<>();
  private final Map<String, Object> queryParams = new LinkedHashMap<>();
  private final List<Violation> violations = new ArrayList<>();
  private Object body;
  private Object bodyModel;

  private ApiCall(Operation operation, Class<T> responseType) {
    this.operation = Objects.requireNonNull(operation, "operation");
    this.responseType = Objects.requireNonNull(responseType, "responseType");
  }

  public static <T> ApiCall<T> of(Operation operation, Class<T> responseType) {
    return new ApiCall<>(operation, responseType);
  }

  /** A path parameter; a missing required one is recorded as a violation. */
  public ApiCall<T> pathParam(String name, Object value) {
    Constraints.required(violations, name, value);
    pathParams.put(name, value);
    return this;
  }

  /** A query parameter; {@code null} leaves it out. */
  public ApiCall<T> queryParam(String name, Object value, boolean required) {
    if (required) {
      Constraints.required(violations, name, value);
    }
    if (value != null) {
      queryParams.put(name, value);
    }
    return this;
  }

  /** The request body; a missing required body is recorded as a violation. */
  public ApiCall<T> body(Object value, boolean required) {
    return body(value, value, required);
  }

  /**
   * The request body and the model its constraints are read from: the body itself, or for a
   * oneOf wrapper the variant it holds ({@code null} when it holds none).
   */
  public ApiCall<T> body(Object value, Object model, boolean required) {
    if (required) {
      Constraints.required(violations, "(body)", value);
    }
    if (value != null && model == null) {
      violations.add(new Violation("(body)", "one of the " + value.getClass().getSimpleName()
          + " variants is required", null));
    }
    this.body = value;
    this.bodyModel = model;
    return this;
  }

  /**
   * Every violation of the spec's constraints: the parameter checks recorded so far and the
   * body's own ({@link Validatable}).
   */
  List<Violation> allViolations() {
    List<Violation> all = new ArrayList<>(violations);
    if (bodyModel instanceof Validatable) {
      ((Validatable) bodyModel).collectViolations("", all);
    }
    return all;
  }

  /** The path with its parameters filled in, then the query: exactly what is signed and sent. */
  String pathAndQuery() {
    String path = operation.path();
    for (Map.Entry<String, Object> p : pathParams.entrySet()) {
      path = path.replace("{" + p.getKey() + "}", encode(text(p.getValue())));
    }
    if (queryParams.isEmpty()) {
      return path;
    }
    StringJoiner query = new StringJoiner("&", "?", "");
    queryParams.forEach((name, value) -> query.add(encode(name) + "=" + encode(text(value))));
    return path + query;
  }

  private static String text(Object value) {
    return value instanceof OffsetDateTime
        ? WechatPayJson.TIME_FORMAT.format((OffsetDateTime) value)
        : String.valueOf(value);
  }

  /** Percent-encoding of a path segment or query part (a space is {@code %20}, not {@code +}). */
  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Where the generated parameter checks add what they find. */
  public List<Violation> violations() {
    return violations;
  }

  public Operation operation() {
    return operation;
  }

  public Class<T> responseType() {
    return responseType;
  }

  public Map<String, Object> pathParams() {
    return Collections.unmodifiableMap(pathParams);
  }

  public Map<String, Object> queryParams() {
    return Collections.unmodifiableMap(queryParams);
  }

  /** The body, or {@code null}. */
  public Object body() {
    return body;
  }
}
