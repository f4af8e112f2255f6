package io.github.wechatpaypartner.sandbox;

import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI document as the sandbox reads it, straight from the JSON tree (no parser framework,
 * so the sandbox starts fast): each operation's path, parameters, request and response schema
 * pointers, the named error examples, the notifications of {@code x-webhooks}. Every error code,
 * message, example value and limit the sandbox uses comes from here.
 */
public final class ServiceSpec {
  /** Where the spec module's jar carries the bundle. */
  public static final String BUNDLE_RESOURCE = "META-INF/wechatpay-partner-spec/openapi.json";
  static final String JSON = "application/json";

  private final String source;
  private final String sha256;
  private final JsonNode root;
  private final List<Operation> operations;
  private final Map<String, Webhook> webhooks;

  private ServiceSpec(String source, byte[] bytes, JsonNode root) {
    this.source = source;
    this.sha256 = sha256(bytes);
    this.root = root;
    List<Operation> ops = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
        Map.Entry<String, JsonNode> method = methods.next();
        if (method.getValue().has("operationId")) {
          ops.add(new Operation(path.getKey(), method.getKey(), method.getValue()));
        }
      }
    }
    this.operations = Collections.unmodifiableList(ops);
    Map<String, Webhook> hooks = new LinkedHashMap<>();
    root.path("x-webhooks").fields().forEachRemaining(e -> hooks.put(e.getKey(), new Webhook(e.getKey(), e.getValue())));
    this.webhooks = Collections.unmodifiableMap(hooks);
  }

  /** The bundle inside the spec module's jar on the classpath. */
  public static ServiceSpec bundled() {
    try (InputStream in = ServiceSpec.class.getClassLoader().getResourceAsStream(BUNDLE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(BUNDLE_RESOURCE + " is not on the classpath: the sandbox needs the "
            + "wechatpay-partner-spec jar (or pass a spec file)");
      }
      byte[] bytes = in.readAllBytes();
      return new ServiceSpec("classpath:" + BUNDLE_RESOURCE, bytes, WechatPayJson.newObjectMapper().readTree(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + BUNDLE_RESOURCE, e);
    }
  }

  /** A spec file, YAML or JSON. */
  public static ServiceSpec read(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml")
        ? new ObjectMapper(new YAMLFactory()) : WechatPayJson.newObjectMapper();
    try {
      byte[] bytes = Files.readAllBytes(file);
      return new ServiceSpec(file.toAbsolutePath().toString(), bytes, mapper.readTree(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the spec " + file, e);
    }
  }

  /** Where the spec was read from. */
  public String source() {
    return source;
  }

  /** The whole document (refs not resolved). */
  public JsonNode tree() {
    return root;
  }

  public String version() {
    return root.path("info").path("version").asText();
  }

  /** The first 12 hex digits of the SHA-256 of the document's bytes: tells two edits of one version apart. */
  public String shortHash() {
    return sha256.substring(0, 12);
  }

  private static String sha256(byte[] bytes) {
    try {
      StringBuilder hex = new StringBuilder();
      for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
        hex.append(String.format("%02x", b));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  public List<Operation> operations() {
    return operations;
  }

  public Operation operation(String operationId) {
    return operations.stream().filter(op -> op.id.equals(operationId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("The spec has no operation " + operationId));
  }

  /** The operation serving {@code method path}, with its path parameters (still URL-encoded), or empty. */
  public Optional<Route> route(String method, String rawPath) {
    for (Operation op : operations) {
      if (!op.method.equalsIgnoreCase(method)) {
        continue;
      }
      Matcher m = op.pathPattern.matcher(rawPath);
      if (m.matches()) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < op.pathParameters.size(); i++) {
          params.put(op.pathParameters.get(i), m.group(i + 1));
        }
        return Optional.of(new Route(op, params));
      }
    }
    return Optional.empty();
  }

  /** The notification of {@code x-webhooks} for {@code eventType}. */
  public Webhook webhook(String eventType) {
    Webhook hook = webhooks.get(eventType);
    if (hook == null) {
      throw new IllegalArgumentException("The spec has no x-webhooks entry " + eventType);
    }
    return hook;
  }

  /** The error answer named {@code exampleName}: its status as {@code operation} declares it, or as any operation does. */
  public ErrorExample errorExample(Operation operation, String exampleName) {
    Optional<ErrorExample> own = operation.errorExample(exampleName);
    if (own.isPresent()) {
      return own.get();
    }
    return operations.stream().map(op -> op.errorExample(exampleName)).flatMap(Optional::stream).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No operation of the spec declares an error example "
            + exampleName + "; known: " + errorExampleNames()));
  }

  /** The first error example declared for {@code status}: by {@code operation} if it declares that status, else by any. */
  public ErrorExample errorExample(Operation operation, int status) {
    List<Operation> order = new ArrayList<>();
    order.add(operation);
    order.addAll(operations);
    for (Operation op : order) {
      Response response = op.responses.get(status);
      if (response != null && !response.examples.isEmpty()) {
        Map.Entry<String, JsonNode> first = response.examples.entrySet().iterator().next();
        return new ErrorExample(first.getKey(), status, first.getValue());
      }
    }
    throw new IllegalArgumentException("No operation of the spec declares an example for HTTP " + status);
  }

  /** Every named error example of every operation. */
  public List<String> errorExampleNames() {
    List<String> names = new ArrayList<>();
    for (Operation op : operations) {
      op.responses.values().stream().filter(r -> r.status >= 400)
          .flatMap(r -> r.examples.keySet().stream())
          .filter(n -> !names.contains(n)).forEach(names::add);
    }
    return names;
  }

  /** JSON pointer of the schema answers of {@code status} must match: the declared one, else the error schema. */
  public String responseSchemaPointer(Operation operation, int status) {
    Response declared = operation.responses.get(status);
    if (declared != null && (declared.schemaPointer != null || status < 300)) {
      return declared.schemaPointer; // null: a 2xx without body (204), nothing to validate
    }
    for (Operation op : operations) {
      for (Response r : op.responses.values()) {
        if (r.status >= 400 && r.schemaPointer != null) {
          return r.schemaPointer;
        }
      }
    }
    throw new IllegalStateException("The spec declares no error answer schema");
  }

  /** Property names of the object schema at {@code pointer}. */
  public List<String> propertyNames(String pointer) {
    List<String> names = new ArrayList<>();
    node(pointer).path("properties").fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The node at {@code pointer} after following {@code $ref}s. */
  public JsonNode node(String pointer) {
    return root.at(deref(pointer));
  }

  /** Follows local {@code $ref}s from {@code pointer} to the pointer of the object they name. */
  String deref(String pointer) {
    JsonNode node = root.at(pointer);
    for (int hops = 0; node.has("$ref"); hops++) {
      String ref = node.get("$ref").asText();
      if (!ref.startsWith("#") || hops > 20) {
        throw new IllegalStateException("Unsupported $ref " + ref + " at " + pointer + " in " + source);
      }
      pointer = ref.substring(1);
      node = root.at(pointer);
    }
    if (node.isMissingNode()) {
      throw new IllegalStateException("Nothing at " + pointer + " in " + source);
    }
    return pointer;
  }

  static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private Map<String, JsonNode> examplesOf(String mediaPointer) {
    Map<String, JsonNode> examples = new LinkedHashMap<>();
    JsonNode media = root.at(mediaPointer);
    media.path("examples").fields().forEachRemaining(e ->
        examples.put(e.getKey(), root.at(deref(mediaPointer + "/examples/" + escape(e.getKey()))).path("value")));
    if (media.has("example")) {
      examples.put("example", media.get("example"));
    }
    return examples;
  }

  /** A request path and the operation that serves it. */
  public static final class Route {
    public final Operation operation;
    /** Raw (URL-encoded) values by name. */
    public final Map<String, String> pathParameters;

    Route(Operation operation, Map<String, String> pathParameters) {
      this.operation = operation;
      this.pathParameters = Collections.unmodifiableMap(pathParameters);
    }
  }

  /** One operation of {@code paths}. */
  public final class Operation {
    public final String id;
    /** Upper case. */
    public final String method;
    public final String pathTemplate;
    /** Names of the path parameters, in path order. */
    public final List<String> pathParameters = new ArrayList<>();
    /** Schema pointer by path parameter name. */
    final Map<String, String> pathParameterSchemas = new LinkedHashMap<>();
    /** Example by path parameter name. */
    final Map<String, String> pathParameterExamples = new LinkedHashMap<>();
    /** Schema pointer by query parameter name, in the spec's order. */
    final Map<String, String> queryParameterSchemas = new LinkedHashMap<>();
    /** Names of the query parameters the spec declares required. */
    final List<String> requiredQueryParameters = new ArrayList<>();
    final String requestSchemaPointer;
    final Map<String, JsonNode> requestExamples;
    final Map<Integer, Response> responses = new TreeMap<>();
    /** {@code x-wechatpay-rate-limit}: requests per second, or 0 when the spec states none. */
    public final int rateLimit;
    private final Pattern pathPattern;

    Operation(String pathTemplate, String method, JsonNode node) {
      this.id = node.get("operationId").asText();
      this.method = method.toUpperCase(Locale.ROOT);
      this.pathTemplate = pathTemplate;
      String pointer = "/paths/" + escape(pathTemplate) + "/" + method;
      // Parameters of the path item apply to each of its operations; the operation's own come after.
      List<String> paramPointers = new ArrayList<>();
      for (String owner : List.of("/paths/" + escape(pathTemplate), pointer)) {
        for (int i = 0; i < root.at(owner).path("parameters").size(); i++) {
          paramPointers.add(deref(owner + "/parameters/" + i));
        }
      }
      for (String paramPointer : paramPointers) {
        JsonNode param = root.at(paramPointer);
        String name = param.path("name").asText();
        if ("path".equals(param.path("in").asText())) {
          pathParameterSchemas.put(name, paramPointer + "/schema");
          pathParameterExamples.put(name, param.path("example").asText(param.path("schema").path("example").asText()));
        } else if ("query".equals(param.path("in").asText())) {
          queryParameterSchemas.put(name, paramPointer + "/schema");
          if (param.path("required").asBoolean(false)) {
            requiredQueryParameters.add(name);
          }
        }
      }
      StringBuilder regex = new StringBuilder();
      Matcher m = Pattern.compile("\\{([^}]+)}").matcher(pathTemplate);
      int last = 0;
      while (m.find()) {
        regex.append(Pattern.quote(pathTemplate.substring(last, m.start()))).append("([^/]+)");
        pathParameters.add(m.group(1));
        last = m.end();
      }
      regex.append(Pattern.quote(pathTemplate.substring(last)));
      this.pathPattern = Pattern.compile(regex.toString());
      String media = node.has("requestBody") ? deref(pointer + "/requestBody") + "/content/" + escape(JSON) : null;
      this.requestSchemaPointer = media == null ? null : deref(media + "/schema");
      this.requestExamples = media == null ? Map.of() : Collections.unmodifiableMap(examplesOf(media));
      node.path("responses").fieldNames().forEachRemaining(status -> {
        if (status.matches("\\d{3}")) {
          String responsePointer = deref(pointer + "/responses/" + status);
          String responseMedia = responsePointer + "/content/" + escape(JSON);
          boolean hasBody = !root.at(responseMedia).isMissingNode();
          int code = Integer.parseInt(status);
          responses.put(code, new Response(code, hasBody ? deref(responseMedia + "/schema") : null,
              hasBody ? examplesOf(responseMedia) : Map.of()));
        }
      });
      this.rateLimit = node.path("x-wechatpay-rate-limit").asInt(0);
    }

    /** Whether the operation takes a JSON body (a GET or DELETE of the APIv3 takes none). */
    public boolean hasRequestBody() {
      return requestSchemaPointer != null;
    }

    /** The 2xx status the operation answers with: the lowest it declares (200 when it declares none). */
    public int successStatus() {
      return responses.keySet().stream().filter(s -> s >= 200 && s < 300).findFirst().orElse(200);
    }

    /** Whether its 2xx answer has a JSON body (a 204 has none). */
    public boolean successHasBody() {
      Response r = responses.get(successStatus());
      return r == null || r.schemaPointer != null;
    }

    /** The named request examples. */
    public Map<String, JsonNode> requestExamples() {
      return requestExamples;
    }

    /** The spec's example value of each path parameter. */
    public Map<String, String> pathParameterExamples() {
      return Collections.unmodifiableMap(pathParameterExamples);
    }

    /** The named examples of the answer with {@code status} (empty when none). */
    public Map<String, JsonNode> responseExamples(int status) {
      Response r = responses.get(status);
      return r == null ? Map.of() : Collections.unmodifiableMap(r.examples);
    }

    /** The first example of the 2xx answer. */
    public JsonNode successExample() {
      return responses.values().stream().filter(r -> r.status < 300 && !r.examples.isEmpty())
          .map(r -> r.examples.values().iterator().next()).findFirst()
          .orElseThrow(() -> new IllegalStateException(id + " declares no 2xx example"));
    }

    /** Pointer of the 2xx answer schema. */
    String successSchemaPointer() {
      return responses.values().stream().filter(r -> r.status < 300 && r.schemaPointer != null)
          .map(r -> r.schemaPointer).findFirst()
          .orElseThrow(() -> new IllegalStateException(id + " declares no 2xx schema"));
    }

    Optional<ErrorExample> errorExample(String name) {
      for (Response r : responses.values()) {
        if (r.status >= 400 && r.examples.containsKey(name)) {
          return Optional.of(new ErrorExample(name, r.status, r.examples.get(name)));
        }
      }
      return Optional.empty();
    }

    @Override
    public String toString() {
      return id + " (" + method + " " + pathTemplate + ")";
    }
  }

  static final class Response {
    final int status;
    /** Null when the answer has no JSON body. */
    final String schemaPointer;
    final Map<String, JsonNode> examples;

    Response(int status, String schemaPointer, Map<String, JsonNode> examples) {
      this.status = status;
      this.schemaPointer = schemaPointer;
      this.examples = examples;
    }
  }

  /** A named error answer of the spec: its HTTP status and body ({@code code}, {@code message}). */
  public static final class ErrorExample {
    public final String name;
    public final int status;
    public final JsonNode body;

    ErrorExample(String name, int status, JsonNode body) {
      this.name = name;
      this.status = status;
      this.body = body;
    }

    /** The body with {@code detail} added (when not null). */
    ObjectNode withDetail(JsonNode detail) {
      ObjectNode copy = body.deepCopy();
      if (detail != null) {
        copy.set("detail", detail);
      }
      return copy;
    }
  }

  /** One notification of {@code x-webhooks}. */
  public final class Webhook {
    public final String eventType;
    private final String pointer;

    Webhook(String eventType, JsonNode node) {
      this.eventType = eventType;
      this.pointer = "/x-webhooks/" + escape(eventType) + "/post";
    }

    /** The envelope example: its {@code resource_type}, {@code summary}, {@code resource.original_type} and {@code associated_data} are reused. */
    public JsonNode envelopeExample() {
      Map<String, JsonNode> examples = examplesOf(deref(pointer + "/requestBody") + "/content/" + escape(JSON));
      if (examples.isEmpty()) {
        throw new IllegalStateException("x-webhooks " + eventType + " has no envelope example");
      }
      return examples.values().iterator().next();
    }

    /** Pointer of the envelope's schema. */
    public String envelopeSchemaPointer() {
      return deref(deref(pointer + "/requestBody") + "/content/" + escape(JSON) + "/schema");
    }

    /** Pointer of the schema the resource decrypts to ({@code x-wechatpay-decrypted-resource}). */
    public String resourceSchemaPointer() {
      return deref(pointer + "/x-wechatpay-decrypted-resource");
    }

    /** The decrypted resource schema's example. */
    public JsonNode resourceExample() {
      JsonNode example = root.at(resourceSchemaPointer()).path("example");
      if (example.isMissingNode()) {
        throw new IllegalStateException("the resource schema of " + eventType + " has no example");
      }
      return example;
    }

    /**
     * The resend schedule: this webhook's {@code x-wechatpay-notification-retry}
     * ({@code interval_seconds}, {@code max_retries}), or, where its page states none, the first
     * webhook's that does (the sandbox has to resend on some schedule).
     */
    public RetrySchedule retrySchedule() {
      List<JsonNode> candidates = new ArrayList<>();
      candidates.add(root.at(pointer));
      webhooks.values().forEach(w -> candidates.add(root.at(w.pointer)));
      for (JsonNode hook : candidates) {
        JsonNode ext = hook.path("x-wechatpay-notification-retry");
        if (ext.isObject()) {
          return new RetrySchedule(Duration.ofSeconds(ext.path("interval_seconds").asLong()),
              ext.path("max_retries").asInt());
        }
      }
      throw new IllegalStateException("The spec states no resend schedule for notifications");
    }
  }

  /** How often an unanswered notification is sent again. */
  public static final class RetrySchedule {
    public final Duration interval;
    public final int maxRetries;

    RetrySchedule(Duration interval, int maxRetries) {
      this.interval = interval;
      this.maxRetries = maxRetries;
    }

    @Override
    public String toString() {
      return "every " + interval.getSeconds() + " s, at most " + maxRetries + " retries";
    }
  }
}
