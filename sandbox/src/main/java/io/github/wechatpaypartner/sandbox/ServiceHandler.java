package io.github.wechatpaypartner.sandbox;

import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import io.github.wechatpaypartner.testkit.RequestAuthentication;
import io.github.wechatpaypartner.testkit.ServiceSigner;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One request, handled as the service would: route, HTTP rules ({@code Content-Type},
 * {@code Accept}), the {@code Authorization} signature (scheme, mchid, serial_no, 5-minute
 * window, exact bytes, nonce not reused), the rate limit, the spec's schemas (path, query, body),
 * then the business rules of {@link MarketingState}, or for an operation it does not model the
 * spec's 2xx example (marked so); every answer signed. A fault from the request header or an armed
 * rule replaces or bends the answer. Each exchange is recorded.
 */
final class ServiceHandler implements HttpListener.Handler {
  private static final System.Logger LOG = System.getLogger(ServiceHandler.class.getName());
  private static final ObjectMapper JSON = WechatPayJson.newObjectMapper();
  static final Duration SIGNATURE_WINDOW = Duration.ofMinutes(5);
  private static final String SIGNTEST_PREFIX = "WECHATPAY/SIGNTEST/";
  /** Says where a 2xx answer came from when the sandbox keeps no state for the operation. */
  static final String ANSWER_SOURCE_HEADER = "Wechatpay-Sandbox-Answer";
  static final String FROM_EXAMPLE = "spec-example";

  private final ServiceSpec spec;
  private final SpecValidator validator;
  private final SandboxCredentials credentials;
  private final MarketingState state;
  private final Function<String, Fault> armedFault;
  private final Consumer<RecordedExchange> recorder;
  private final boolean rateLimit;
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, Long> nonces = new HashMap<>();
  private final Map<String, Deque<Long>> recentCalls = new HashMap<>();
  private final RequestAuthentication authentication;
  /** The sandbox's OffsetClock: the control plane can move it (to test the 5-minute window). */
  private final Clock clock;
  private final SandboxKeys keys;
  /** Signs answers of the UNKNOWN_SERIAL fault: a key no client trusts, made when first needed. */
  private ServiceSigner stranger;

  ServiceHandler(ServiceSpec spec, SpecValidator validator, SandboxCredentials credentials, SandboxKeys keys,
      MarketingState state, Function<String, Fault> armedFault, Consumer<RecordedExchange> recorder, boolean rateLimit,
      Clock clock) {
    this.spec = spec;
    this.validator = validator;
    this.credentials = credentials;
    this.state = state;
    this.armedFault = armedFault;
    this.recorder = recorder;
    this.rateLimit = rateLimit;
    this.clock = clock;
    this.authentication = new RequestAuthentication(credentials.mchid(), credentials.merchantSerial(),
        credentials.merchantPublicKey(), clock);
    this.keys = keys;
    // GET /v3/certificates is answered from the sandbox's own keys (their mode, their rotation).
    state.model(new CertificatesEndpoint(spec, keys, credentials.apiV3Key()));
  }

  /** The answer being built. */
  private static final class Answer {
    int status;
    String contentType = ServiceSpec.JSON;
    byte[] body = new byte[0];
    String refusal;
    /** Added to the request record (e.g. an answer from the spec's example). */
    String note;
    boolean fromGateway;
    final Map<String, String> headers = new LinkedHashMap<>();
  }

  @Override
  public HttpListener.Response handle(HttpListener.Request request) {
    Instant received = Instant.now();
    long number = sequence.incrementAndGet();
    Optional<ServiceSpec.Route> route = spec.route(request.method, request.rawPath);
    ServiceSpec.Operation op = route.map(r -> r.operation).orElse(spec.operations().get(0));
    Answer answer;
    Fault fault = null;
    try {
      String header = request.header(Fault.HEADER);
      if (header != null) {
        fault = checkedFault(header, op);
      } else if (route.isPresent()) {
        fault = armedFault.apply(op.id);
      }
      answer = fault != null && fault.stage() == Fault.Stage.INSTEAD ? instead(fault, op) : process(request, route);
    } catch (ServiceError e) {
      answer = error(e);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "sandbox failed on " + request.method + " " + request.rawPath, e);
      answer = error(new ServiceError(spec.errorExample(op, 500), null));
      answer.refusal = "sandbox failure: " + e;
    }
    boolean sendAnswer = true;
    if (fault != null && fault.kind() == Fault.Kind.RESET) {
      sendAnswer = false;
    } else if (fault != null && fault.kind() == Fault.Kind.ANSWER_LOST) {
      if ("reset".equals(fault.parameter("as"))) {
        sendAnswer = false;
      } else {
        String refusal = answer.refusal;
        answer = error(new ServiceError(spec.errorExample(op, 500), null));
        answer.refusal = refusal;
      }
    }
    List<String> violations = new ArrayList<>();
    if (sendAnswer && !answer.fromGateway) {
      String schema = spec.responseSchemaPointer(op, answer.status);
      if (schema != null) {
        validator.validate(schema, readJson(answer.body), "body").forEach(v -> violations.add(v.toString()));
      } else if (answer.body.length > 0) {
        violations.add("HTTP " + answer.status + " of " + op.id + " has no body in the spec; " + answer.body.length
            + " bytes sent");
      }
      sign(answer, fault, number, keys.signerFor(request.header("Wechatpay-Serial")));
    }
    if (fault != null && fault.kind() == Fault.Kind.SLOW) {
      sleep(fault.duration("delay", Fault.DEFAULT_SLOW_DELAY, ChronoUnit.MILLIS));
    }
    if (answer.contentType != null) {
      answer.headers.put("Content-Type", answer.contentType);
    }
    Map<String, List<String>> sentHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    answer.headers.forEach((k, v) -> sentHeaders.put(k, List.of(v)));
    // Recorded before the answer leaves: a client that has its answer finds it in the record.
    RecordedExchange exchange = new RecordedExchange(number, received, route.map(r -> r.operation.id).orElse(null),
        request.method, request.rawPath, request.rawQuery, request.headers, request.body,
        fault == null ? null : fault.toString(), answer.refusal,
        sendAnswer ? answer.status : RecordedExchange.NO_ANSWER, Collections.unmodifiableMap(sentHeaders),
        answer.body, violations);
    RecordedExchange record = answer.note == null ? exchange : exchange.withNote(answer.note);
    recorder.accept(record);
    if (!sendAnswer) {
      return HttpListener.Response.NONE;
    }
    // A slow answer whose client timed out: the answer was ready, nobody read it.
    return new HttpListener.Response(answer.status, answer.headers, answer.body,
        gone -> recorder.accept(record.withNote("client gone before the answer: " + gone.getMessage())));
  }

  /** A fault from the request header, checked now (a wrong one is the caller's 400, naming the header). */
  private Fault checkedFault(String header, ServiceSpec.Operation op) {
    try {
      Fault fault = Fault.parse(header);
      if (fault.kind() == Fault.Kind.ERROR_EXAMPLE) {
        spec.errorExample(op, fault.parameter("name"));
      }
      return fault;
    } catch (IllegalArgumentException e) {
      throw new ServiceError(spec.errorExample(op, "INVALID_REQUEST"),
          ServiceError.detail(Fault.HEADER, TextNode.valueOf(header), e.getMessage(), "header"));
    }
  }

  /** The answer of a fault that replaces processing. */
  private Answer instead(Fault fault, ServiceSpec.Operation op) {
    switch (fault.kind()) {
      case RATE_LIMITED: {
        Answer a = error(new ServiceError(spec.errorExample(op, 429), null));
        String retryAfter = fault.parameter("retry-after");
        if (retryAfter != null) {
          a.headers.put("Retry-After", retryAfter);
        }
        return a;
      }
      case SYSTEM_ERROR:
        return error(new ServiceError(spec.errorExample(op, 500), null));
      case ERROR_EXAMPLE:
        return error(new ServiceError(spec.errorExample(op, fault.parameter("name")), null));
      case GATEWAY_502:
      case GATEWAY_503: {
        Answer a = new Answer();
        a.status = fault.kind() == Fault.Kind.GATEWAY_502 ? 502 : 503;
        String title = a.status + (a.status == 502 ? " Bad Gateway" : " Service Temporarily Unavailable");
        a.contentType = "text/html";
        a.body = ("<html><head><title>" + title + "</title></head><body><center><h1>" + title
            + "</h1></center><hr><center>gateway</center></body></html>\n").getBytes(StandardCharsets.UTF_8);
        a.fromGateway = true;
        return a;
      }
      case RESET:
        return new Answer();
      default:
        throw new IllegalStateException(fault + " does not replace processing");
    }
  }

  private Answer process(HttpListener.Request request, Optional<ServiceSpec.Route> route) {
    String method = request.method;
    String rawPath = request.rawPath;
    byte[] body = request.body;
    if (route.isEmpty()) {
      ServiceSpec.ErrorExample notFound = spec.errorExample(spec.operations().get(0), 404);
      ObjectNode answer = JsonNodeFactory.instance.objectNode();
      answer.set("code", notFound.body.path("code"));
      answer.put("message", "the sandbox serves only the spec's operations; no " + method + " " + rawPath);
      Answer a = json(404, answer);
      a.refusal = "no such operation";
      return a;
    }
    ServiceSpec.Operation op = route.get().operation;
    // A body-less GET or DELETE may still carry the client's usual Content-Type; if sent, it must be JSON.
    requireMediaType(op, "Content-Type", request.header("Content-Type"), !op.hasRequestBody());
    requireMediaType(op, "Accept", request.header("Accept"), true);
    String pathAndQuery = rawPath + (request.rawQuery == null ? "" : "?" + request.rawQuery);
    authenticate(op, request.header("Authorization"), method, pathAndQuery, body);
    if (rateLimit && op.rateLimit > 0 && overLimit(op)) {
      throw new ServiceError(spec.errorExample(op, 429), null);
    }
    Map<String, String> path = new LinkedHashMap<>();
    for (Map.Entry<String, String> p : route.get().pathParameters.entrySet()) {
      String value = decode(p.getValue());
      check(op, op.pathParameterSchemas.get(p.getKey()), p.getKey(), value, "path");
      path.put(p.getKey(), value);
    }
    Map<String, String> query = query(op, request.rawQuery);
    ObjectNode json = null;
    if (op.hasRequestBody()) {
      JsonNode read = readJson(body);
      if (read == null || !read.isObject()) {
        throw paramError(op, ServiceError.detail("/", null, "the body is not a JSON object", "body"));
      }
      List<SpecValidator.Violation> violations = validator.validate(op.requestSchemaPointer, read, "body");
      if (!violations.isEmpty()) {
        throw paramError(op, violations.get(0).detail());
      }
      json = (ObjectNode) read;
    } else if (body.length > 0) {
      throw paramError(op, ServiceError.detail("/", null, op.method + " " + op.pathTemplate
          + " takes no body; " + body.length + " bytes were sent", "body"));
    }
    if (state.models(op.id)) {
      return answer(op, state.call(op, path, query, json));
    }
    Answer a = answer(op, specExample(op, path, query));
    a.headers.put(ANSWER_SOURCE_HEADER, FROM_EXAMPLE);
    a.note = "answered from the spec's " + op.successStatus() + " example: the sandbox keeps no state for "
        + op.id + " (see OperationState)";
    return a;
  }

  /** A 2xx answer: {@code body} as JSON, or none when the operation's answer has none (204). */
  private static Answer answer(ServiceSpec.Operation op, JsonNode body) {
    if (op.successHasBody()) {
      return json(op.successStatus(), body);
    }
    Answer a = new Answer();
    a.status = op.successStatus();
    a.contentType = null;
    return a;
  }

  /**
   * The spec's first 2xx example of an operation the sandbox does not model, with each path and
   * query value copied into the answer's top-level field of the same name (so a GET by id answers
   * about that id), typed as the answer schema declares the field.
   */
  private JsonNode specExample(ServiceSpec.Operation op, Map<String, String> path, Map<String, String> query) {
    if (!op.successHasBody()) {
      return null;
    }
    ObjectNode answer = op.successExample().deepCopy();
    String schema = op.successSchemaPointer();
    List<String> fields = spec.propertyNames(schema);
    Map<String, String> values = new LinkedHashMap<>(query);
    values.putAll(path);
    values.forEach((name, value) -> {
      if (fields.contains(name)) {
        answer.set(name, typed(spec.deref(schema + "/properties/" + ServiceSpec.escape(name)), value));
      }
    });
    return answer;
  }

  /** The spec's query parameters of {@code op}, decoded and checked against their schemas (required ones present). */
  private Map<String, String> query(ServiceSpec.Operation op, String rawQuery) {
    Map<String, String> sent = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        sent.putIfAbsent(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    Map<String, String> query = new LinkedHashMap<>();
    for (Map.Entry<String, String> declared : op.queryParameterSchemas.entrySet()) {
      String name = declared.getKey();
      String value = sent.get(name);
      if (value == null) {
        if (op.requiredQueryParameters.contains(name)) {
          throw paramError(op, ServiceError.detail(name, null, "the query parameter is required", "query"));
        }
        continue;
      }
      check(op, declared.getValue(), name, value, "query");
      query.put(name, value);
    }
    return query;
  }

  /** A path or query value against its schema, read as the type the schema declares; PARAM_ERROR naming it. */
  private void check(ServiceSpec.Operation op, String schemaPointer, String name, String value, String location) {
    JsonNode typed = typed(schemaPointer, value);
    List<SpecValidator.Violation> violations = validator.validate(schemaPointer, typed, location);
    if (!violations.isEmpty()) {
      // The validator words a bare value's issue as at the document root (": must ..."); the field is named apart.
      String issue = violations.get(0).issue.replaceFirst("^[$]?:\\s*", "");
      throw paramError(op, ServiceError.detail(name, TextNode.valueOf(value), issue, location));
    }
  }

  /** A text value of the URL as the JSON value the schema at {@code pointer} describes (text when it does not parse). */
  private JsonNode typed(String pointer, String value) {
    String type = spec.node(pointer).path("type").asText("string");
    try {
      switch (type) {
        case "integer":
          return LongNode.valueOf(Long.parseLong(value));
        case "number":
          return DecimalNode.valueOf(new BigDecimal(value));
        case "boolean":
          if ("true".equals(value) || "false".equals(value)) {
            return BooleanNode.valueOf(Boolean.parseBoolean(value));
          }
          return TextNode.valueOf(value);
        default:
          return TextNode.valueOf(value);
      }
    } catch (NumberFormatException notANumber) {
      return TextNode.valueOf(value);
    }
  }

  /** Percent-decoding of a path segment or query part; {@code +} is a plus sign, not a space (the client writes {@code %20}). */
  private static String decode(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private ServiceError paramError(ServiceSpec.Operation op, JsonNode detail) {
    return new ServiceError(spec.errorExample(op, "PARAM_ERROR"), detail);
  }

  /** {@code Content-Type} must be JSON; an {@code Accept} that is sent must allow JSON. */
  private void requireMediaType(ServiceSpec.Operation op, String header, String value, boolean optional) {
    if (value == null && optional) {
      return;
    }
    String v = value == null ? "" : value.toLowerCase(Locale.ROOT);
    boolean json = v.startsWith(ServiceSpec.JSON)
        || (optional && (v.contains(ServiceSpec.JSON) || v.contains("*/*") || v.contains("application/*")));
    if (!json) {
      throw new ServiceError(spec.errorExample(op, "INVALID_REQUEST"), ServiceError.detail(header,
          value == null ? null : TextNode.valueOf(value), header + " must be " + ServiceSpec.JSON, "header"));
    }
  }

  /** The {@code Authorization} header as the service checks it; a failure is 401 SIGN_ERROR naming the check. */
  private void authenticate(ServiceSpec.Operation op, String header, String method, String pathAndQuery, byte[] body) {
    String problem = authorizationProblem(header, method, pathAndQuery, body);
    if (problem != null) {
      throw new ServiceError(spec.errorExample(op, 401),
          ServiceError.detail("Authorization", null, problem, "header"));
    }
  }

  private String authorizationProblem(String header, String method, String pathAndQuery, byte[] body) {
    RequestAuthentication.Result result = authentication.check(method, pathAndQuery, header, body);
    if (!result.accepted()) {
      return result.refusal().orElseThrow();
    }
    long now = clock.millis() / 1000;
    synchronized (nonces) {
      nonces.values().removeIf(expiry -> expiry < now);
      if (nonces.putIfAbsent(result.nonce(), now + SIGNATURE_WINDOW.getSeconds()) != null) {
        return "nonce_str " + result.nonce() + " was already used within 5 minutes (a replayed request)";
      }
    }
    return null;
  }

  private boolean overLimit(ServiceSpec.Operation op) {
    long now = System.nanoTime();
    synchronized (recentCalls) {
      Deque<Long> calls = recentCalls.computeIfAbsent(op.id, k -> new ArrayDeque<>());
      while (!calls.isEmpty() && now - calls.peekFirst() >= 1_000_000_000L) {
        calls.pollFirst();
      }
      if (calls.size() >= op.rateLimit) {
        return true;
      }
      calls.addLast(now);
      return false;
    }
  }

  private Answer error(ServiceError e) {
    Answer a = json(e.status(), e.body());
    a.refusal = e.example.body.path("code").asText() + (e.detail == null ? "" : ": " + e.detail.path("issue").asText());
    return a;
  }

  private static Answer json(int status, JsonNode body) {
    Answer a = new Answer();
    a.status = status;
    try {
      a.body = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return a;
  }

  /** {@code Request-ID} and the five {@code Wechatpay-*} headers, bent as the fault says. */
  private void sign(Answer answer, Fault fault, long number, ServiceSigner signer) {
    answer.headers.put("Request-ID", "08" + GeneratedCredentials.randomAlphanumeric(24).toUpperCase(Locale.ROOT)
        + "-" + (268_435_456L + number));
    Fault.Kind kind = fault == null ? null : fault.kind();
    if (kind == Fault.Kind.UNSIGNED) {
      return;
    }
    long now = clock.millis() / 1000;
    long timestamp = kind == Fault.Kind.STALE_TIMESTAMP
        ? now - fault.duration("age", Fault.DEFAULT_STALE_AGE, ChronoUnit.SECONDS).getSeconds() : now;
    byte[] signed = kind == Fault.Kind.BAD_SIGNATURE ? "{}".getBytes(StandardCharsets.UTF_8) : answer.body;
    Map<String, String> headers = (kind == Fault.Kind.UNKNOWN_SERIAL ? stranger() : signer)
        .headers(timestamp, GeneratedCredentials.randomAlphanumeric(32), signed);
    if (kind == Fault.Kind.SIGNTEST_PROBE) {
      headers.put("Wechatpay-Signature", SIGNTEST_PREFIX + headers.get("Wechatpay-Signature"));
    }
    answer.headers.putAll(headers);
  }

  private synchronized ServiceSigner stranger() {
    if (stranger == null) {
      stranger = new ServiceSigner(GeneratedCredentials.rsa2048().getPrivate(), GeneratedCredentials.newPublicKeyId(),
          Clock.systemUTC());
    }
    return stranger;
  }

  private static JsonNode readJson(byte[] body) {
    try {
      return body.length == 0 ? null : JSON.readTree(body);
    } catch (IOException notJson) {
      return null;
    }
  }

  private static void sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
