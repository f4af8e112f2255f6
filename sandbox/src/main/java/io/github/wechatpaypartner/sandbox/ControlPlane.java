package io.github.wechatpaypartner.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sandbox's HTTP control plane under {@value #PREFIX}: everything the Java handle does, for a
 * team in any language (state, the record, notifications, faults, the clock, keys, coverage). It
 * calls the same {@link Sandbox} methods the Java handle and the JUnit extension use. Described by
 * {@value #SPEC_RESOURCE}, which it serves at {@code GET /sandbox/v1/openapi.yaml}. With a token
 * (always when bound beyond loopback) every call needs {@code Authorization: Bearer TOKEN}.
 */
final class ControlPlane {
  static final String PREFIX = "/sandbox/v1";
  static final String SPEC_RESOURCE = "io/github/wechatpaypartner/sandbox/control-plane.yaml";
  private static final ObjectMapper JSON = WechatPayJson.newObjectMapper();

  private interface Action {
    HttpListener.Response run(Matcher path, Map<String, String> query, JsonNode body) throws IOException;
  }

  /** One operation of the control plane's document: method, path pattern under the prefix, action. */
  private static final class Route {
    final String operationId;
    final String method;
    final Pattern path;
    final Action action;

    Route(String operationId, String method, String path, Action action) {
      this.operationId = operationId;
      this.method = method;
      this.path = Pattern.compile(Pattern.quote(PREFIX) + path);
      this.action = action;
    }
  }

  private final Sandbox sandbox;
  private final byte[] token;
  private final byte[] document;
  private final List<Route> routes = new ArrayList<>();

  ControlPlane(Sandbox sandbox, String token) {
    this.sandbox = sandbox;
    this.token = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.US_ASCII);
    try (InputStream in = ControlPlane.class.getClassLoader().getResourceAsStream(SPEC_RESOURCE)) {
      this.document = Objects.requireNonNull(in, SPEC_RESOURCE + " is missing from the jar").readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    routes.add(new Route("getControlPlaneSpec", "GET", "/openapi\\.yaml",
        (p, q, b) -> answer(200, "application/yaml", document)));
    routes.add(new Route("getInfo", "GET", "/info", (p, q, b) -> json(200, sandbox.description())));
    routes.add(new Route("getState", "GET", "/state", (p, q, b) -> json(200, state())));
    routes.add(new Route("seedState", "POST", "/state", (p, q, b) -> seed(b)));
    routes.add(new Route("resetSandbox", "POST", "/reset", (p, q, b) -> {
      sandbox.reset();
      return json(200, JSON.createObjectNode().put("reset", true));
    }));
    routes.add(new Route("listExchanges", "GET", "/exchanges", (p, q, b) -> exchanges(q)));
    routes.add(new Route("listNotifications", "GET", "/notifications", (p, q, b) -> {
      ArrayNode list = JSON.createArrayNode();
      sandbox.notifications().forEach(n -> list.add(notification(n)));
      return json(200, JSON.createObjectNode().set("notifications", list));
    }));
    routes.add(new Route("sendNotification", "POST", "/notifications", (p, q, b) -> {
      JsonNode fields = b.path("resource");
      if (!fields.isMissingNode() && !fields.isObject()) {
        throw new IllegalArgumentException("resource must be a JSON object");
      }
      return json(201, notification(sandbox.sendNotification(text(b, "event_type"),
          fields.isObject() ? (ObjectNode) fields : null)));
    }));
    routes.add(new Route("duplicateNotification", "POST", "/notifications/([^/]+)/duplicate",
        (p, q, b) -> json(201, notification(sandbox.duplicateNotification(decode(p.group(1)))))));
    routes.add(new Route("getNotificationSchedule", "GET", "/notifications/schedule", (p, q, b) -> schedule()));
    routes.add(new Route("setNotifyUrl", "PUT", "/notifications/url", (p, q, b) -> {
      JsonNode url = b.path("notify_url");
      sandbox.notifyUrl(url.isNull() ? null : URI.create(text(b, "notify_url")));
      return json(200, JSON.createObjectNode().put("notify_url", sandbox.notifyUrl().map(URI::toString).orElse(null)));
    }));
    routes.add(new Route("receiveCoupon", "POST", "/coupons/receive", (p, q, b) -> json(201, JSON.createObjectNode()
        .set("resource", sandbox.receiveCoupon(text(b, "product_coupon_id"), text(b, "stock_id"))))));
    routes.add(new Route("listFaults", "GET", "/faults", (p, q, b) -> json(200, faults())));
    routes.add(new Route("armFault", "POST", "/faults", (p, q, b) -> {
      int id = sandbox.armWithId(FaultRule.parse(text(b, "rule")));
      return json(201, fault(id, sandbox.armedFaultsById().get(id)));
    }));
    routes.add(new Route("disarmAllFaults", "DELETE", "/faults", (p, q, b) -> {
      sandbox.disarmAll();
      return json(200, faults());
    }));
    routes.add(new Route("disarmFault", "DELETE", "/faults/([0-9]{1,9})", (p, q, b) -> {
      if (!sandbox.disarm(Integer.parseInt(p.group(1)))) {
        throw new NoSuchElementException("no armed fault " + p.group(1));
      }
      return json(200, faults());
    }));
    routes.add(new Route("getClock", "GET", "/clock", (p, q, b) -> clock()));
    routes.add(new Route("setClock", "PUT", "/clock", (p, q, b) -> {
      JsonNode offset = b.path("offset_seconds");
      if (!offset.canConvertToLong() || !offset.isIntegralNumber()) {
        throw new IllegalArgumentException("offset_seconds must be a whole number of seconds");
      }
      sandbox.clockOffset(Duration.ofSeconds(offset.asLong()));
      return clock();
    }));
    routes.add(new Route("rotateWechatpayKey", "POST", "/keys/rotate", (p, q, b) -> {
      String id = sandbox.rotateWechatpayKey();
      return json(200, JSON.createObjectNode().put("wechatpay_public_key_id", id)
          .put("wechatpay_public_key_pem", GeneratedCredentials.pem(sandbox.credentials().wechatpayKeys().getPublic())));
    }));
    routes.add(new Route("getKeyMode", "GET", "/keys/mode", (p, q, b) -> keyMode()));
    routes.add(new Route("setKeyMode", "PUT", "/keys/mode", (p, q, b) -> {
      String mode = b.path("mode").asText("");
      try {
        sandbox.keys().mode(SandboxKeys.Mode.valueOf(mode));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("mode must be PUBLIC_KEY, PLATFORM_CERTIFICATE or BOTH, got '" + mode + "'");
      }
      return keyMode();
    }));
    routes.add(new Route("rotatePlatformCertificate", "POST", "/keys/certificates/rotate", (p, q, b) -> {
      sandbox.keys().rotateCertificate();
      return keyMode();
    }));
    routes.add(new Route("getCoverage", "GET", "/coverage", (p, q, b) -> json(200, sandbox.coverage())));
    routes.add(new Route("getCoverageHtml", "GET", "/coverage\\.html",
        (p, q, b) -> answer(200, "text/html; charset=utf-8", sandbox.coverageHtml().getBytes(StandardCharsets.UTF_8))));
  }

  static boolean owns(String rawPath) {
    return rawPath.equals(PREFIX) || rawPath.startsWith(PREFIX + "/");
  }

  /** The operation ids this plane serves, in the document's order (a test checks both agree). */
  List<String> operationIds() {
    List<String> ids = new ArrayList<>();
    routes.forEach(r -> ids.add(r.operationId));
    return ids;
  }

  HttpListener.Response handle(HttpListener.Request request) {
    if (token != null && !MessageDigest.isEqual(token, String.valueOf(request.header("Authorization"))
        .getBytes(StandardCharsets.US_ASCII))) {
      return error(401, "UNAUTHORIZED", "the control plane needs Authorization: Bearer <control_token of sandbox.json>");
    }
    boolean pathKnown = false;
    for (Route route : routes) {
      Matcher m = route.path.matcher(request.rawPath);
      if (!m.matches()) {
        continue;
      }
      pathKnown = true;
      if (!route.method.equals(request.method)) {
        continue;
      }
      try {
        JsonNode body = request.body.length == 0 ? JSON.createObjectNode() : JSON.readTree(request.body);
        if (body == null || !body.isObject()) {
          throw new IllegalArgumentException("the body must be a JSON object");
        }
        return route.action.run(m, query(request.rawQuery), body);
      } catch (NoSuchElementException e) {
        return error(404, "NOT_FOUND", e.getMessage());
      } catch (IOException e) {
        return error(400, "INVALID_REQUEST", "the body is not JSON: " + e.getMessage().split("\n")[0]);
      } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
        return error(400, "INVALID_REQUEST", e.getMessage());
      }
    }
    return pathKnown ? error(405, "METHOD_NOT_ALLOWED", request.method + " is not served on " + request.rawPath)
        : error(404, "NOT_FOUND", "no control operation at " + request.rawPath + "; see " + PREFIX + "/openapi.yaml");
  }

  // ------------------------------------------------------------------ answers

  private ObjectNode state() {
    MarketingState s = sandbox.state();
    ObjectNode state = JSON.createObjectNode();
    state.set(SeedData.COUPONS, JSON.valueToTree(s.productCoupons()));
    state.set(SeedData.STOCKS, JSON.valueToTree(s.stocks()));
    state.set(SeedData.BUNDLES, JSON.valueToTree(s.stockBundles()));
    state.set("delivery_plans", JSON.valueToTree(s.deliveryPlans()));
    return state;
  }

  /** Adds or replaces product coupons and stocks (the seed file's shape); bundles come only from a seed file. */
  private HttpListener.Response seed(JsonNode body) {
    if (body.has(SeedData.BUNDLES)) {
      throw new IllegalArgumentException(SeedData.BUNDLES + " cannot be added at run time: start with --seed FILE");
    }
    for (JsonNode c : body.path(SeedData.COUPONS)) {
      sandbox.state().putProductCoupon(text(c, "product_coupon_id"), text(c, "usage_mode"), text(c, "brand_id"));
    }
    for (JsonNode stock : body.path(SeedData.STOCKS)) {
      text(stock, "stock_id");
      sandbox.state().putStock(stock);
    }
    return json(200, state());
  }

  private HttpListener.Response exchanges(Map<String, String> query) {
    int limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit")) : Integer.MAX_VALUE;
    List<RecordedExchange> found = sandbox.exchanges(query.get("operation"), query.get("out_request_no"));
    ArrayNode list = JSON.createArrayNode();
    found.subList(Math.max(0, found.size() - limit), found.size()).forEach(e -> list.add(exchange(e)));
    return json(200, JSON.createObjectNode().set("exchanges", list));
  }

  static ObjectNode exchange(RecordedExchange e) {
    ObjectNode x = JSON.createObjectNode();
    x.put("sequence", e.sequence);
    x.put("received", e.received.toString());
    x.put("operation", e.operationId);
    x.put("method", e.method);
    x.put("path", e.path);
    x.put("query", e.query);
    x.put("fault", e.fault);
    x.put("refusal", e.refusal);
    x.put("note", e.note);
    x.put("status", e.status);
    x.put("request_id", e.requestId());
    ObjectNode request = x.putObject("request");
    request.set("headers", JSON.valueToTree(e.requestHeaders));
    request.put("body", e.requestBodyText());
    request.put("body_length", e.requestBodyLength);
    request.put("body_truncated", e.requestBody.length < e.requestBodyLength);
    ObjectNode response = x.putObject("response");
    response.set("headers", JSON.valueToTree(e.responseHeaders));
    response.put("body", e.responseBodyText());
    x.set("answer_violations", JSON.valueToTree(e.answerViolations));
    return x;
  }

  static ObjectNode notification(SentNotification n) {
    ObjectNode x = JSON.createObjectNode();
    x.put("id", n.id);
    x.put("event_type", n.eventType);
    x.put("cause", n.cause);
    x.put("duplicate_of", n.duplicateOf);
    x.put("url", n.url == null ? null : n.url.toString());
    x.set("resource", n.resource);
    x.put("envelope", n.body);
    x.set("violations", JSON.valueToTree(n.violations));
    x.put("finished", n.finished());
    x.put("delivered", n.delivered());
    ArrayNode attempts = x.putArray("attempts");
    for (SentNotification.Attempt a : n.attempts()) {
      attempts.addObject().put("number", a.number).put("sent", a.sent.toString()).put("status", a.status)
          .put("answer", a.answer).put("error", a.error);
    }
    return x;
  }

  private HttpListener.Response schedule() {
    ArrayNode events = JSON.createArrayNode();
    for (String event : sandbox.eventTypes()) {
      ServiceSpec.RetrySchedule s = sandbox.notificationSchedule(event);
      // The spec states a schedule for some events only; the others follow it (ServiceSpec.retrySchedule).
      boolean stated = sandbox.spec().tree().path("x-webhooks").path(event).path("post")
          .path("x-wechatpay-notification-retry").isObject();
      events.addObject().put("event_type", event).put("interval_seconds", s.interval.getSeconds())
          .put("max_retries", s.maxRetries).put("stated_for_this_event", stated)
          .put("interval_millis_here", Math.max(1, (long) (s.interval.toMillis() / sandbox.timeScale())));
    }
    return json(200, JSON.createObjectNode().put("time_scale", sandbox.timeScale()).set("events", events));
  }

  private ObjectNode faults() {
    ArrayNode list = JSON.createArrayNode();
    sandbox.armedFaultsById().forEach((id, rule) -> list.add(fault(id, rule)));
    ArrayNode kinds = JSON.createArrayNode();
    for (Fault.Kind kind : Fault.Kind.values()) {
      kinds.addObject().put("fault", kind.name()).put("description", kind.description);
    }
    ObjectNode out = JSON.createObjectNode();
    out.set("armed", list);
    out.set("vocabulary", kinds);
    return out;
  }

  private static ObjectNode fault(int id, FaultRule rule) {
    ObjectNode f = JSON.createObjectNode().put("id", id);
    if (rule != null) {
      f.put("rule", rule.toString()).put("fired", rule.fired());
    }
    return f;
  }


  /** The key mode, the serial answers are signed under by default, and the listed certificates' serials. */
  private HttpListener.Response keyMode() {
    com.fasterxml.jackson.databind.node.ObjectNode node = JSON.createObjectNode()
        .put("mode", sandbox.keys().mode().name()).put("signing_serial", sandbox.keys().signingSerial());
    com.fasterxml.jackson.databind.node.ArrayNode listed = node.putArray("certificate_serials");
    sandbox.keys().certificates().forEach(c -> listed.add(
        io.github.wechatpaypartner.signing.keys.CertificateLoader.serialOf(c)));
    return json(200, node);
  }
  private HttpListener.Response clock() {
    Duration offset = sandbox.clockOffset();
    return json(200, JSON.createObjectNode().put("offset_seconds", offset.getSeconds())
        .put("now", java.time.Instant.now().plus(offset).toString()));
  }

  // ------------------------------------------------------------------ helpers

  private static String text(JsonNode body, String field) {
    JsonNode value = body.path(field);
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw new IllegalArgumentException(field + " is required (a non-empty string)");
    }
    return value.asText();
  }

  private static String decode(String raw) {
    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          q.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
      }
    }
    String limit = q.get("limit");
    if (limit != null && !limit.matches("[1-9][0-9]{0,5}")) {
      throw new IllegalArgumentException("limit must be a whole number from 1 to 999999");
    }
    return q;
  }

  private static HttpListener.Response json(int status, JsonNode body) {
    try {
      return answer(status, "application/json", JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpListener.Response error(int status, String code, String message) {
    return json(status, JSON.createObjectNode().put("code", code).put("message", message));
  }

  private static HttpListener.Response answer(int status, String contentType, byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", contentType);
    headers.put("Cache-Control", "no-store");
    return new HttpListener.Response(status, headers, body, gone -> { });
  }
}
