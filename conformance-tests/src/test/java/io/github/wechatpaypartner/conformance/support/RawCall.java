package io.github.wechatpaypartner.conformance.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.sandbox.SandboxCredentials;
import io.github.wechatpaypartner.signing.sign.RequestSigner;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request built by hand with java.net.http, bypassing the typed client: to Prism directly or to
 * the sandbox, signed by {@link RequestSigning} when credentials are given.
 */
public final class RawCall {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10))
      .build();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final URI base;
  private final SpecOperation operation;
  private byte[] body = new byte[0];
  private String contentType = SpecDocument.JSON;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private SandboxCredentials signer;
  private final Map<String, String> pathOverrides = new LinkedHashMap<>();
  private final Map<String, String> query;

  private RawCall(URI base, SpecOperation operation) {
    this.base = base;
    this.operation = operation;
    headers.put("Accept", SpecDocument.JSON);
    headers.putAll(operation.requiredHeaderExamples());
    query = new LinkedHashMap<>(ExamplePaths.query(operation));
  }

  /** A call of {@code operation} at {@code base}, path parameters filled from the spec's examples. */
  public static RawCall to(URI base, SpecOperation operation) {
    return new RawCall(base, operation);
  }

  /** The JSON body; {@code null} sends none (a GET, a DELETE). */
  public RawCall body(JsonNode json) {
    if (json == null) {
      this.body = new byte[0];
      return this;
    }
    try {
      this.body = MAPPER.writeValueAsBytes(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public RawCall contentType(String value) {
    this.contentType = value;
    return this;
  }

  public RawCall header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** Signs with the merchant key of {@code credentials} (the sandbox checks it). */
  public RawCall signedWith(SandboxCredentials credentials) {
    this.signer = credentials;
    return this;
  }

  /** The exact body bytes that {@link #send()} sends. */
  public byte[] bodyBytes() {
    return body.clone();
  }

  /** Uses {@code value} (URL-encoded here) for path parameter {@code name} instead of the spec's example. */
  public RawCall pathParameter(String name, String value) {
    pathOverrides.put(name, value);
    return this;
  }

  /** Sends {@code value} for query parameter {@code name} ({@code null}: leaves it out). */
  public RawCall queryParameter(String name, String value) {
    if (value == null) {
      query.remove(name);
    } else {
      query.put(name, value);
    }
    return this;
  }

  /**
   * The path, parameters from {@link ExamplePaths} unless overridden (overrides URL-encoded here),
   * then the query in the spec's order, each part encoded as the client encodes it.
   */
  public String pathAndQuery() {
    String path = operation.pathTemplate;
    for (Map.Entry<String, String> p : ExamplePaths.of(operation).entrySet()) {
      String value = pathOverrides.containsKey(p.getKey()) ? encode(pathOverrides.get(p.getKey())) : p.getValue();
      path = path.replace("{" + p.getKey() + "}", value);
    }
    StringBuilder q = new StringBuilder();
    query.forEach((name, value) -> q.append(q.length() == 0 ? "?" : "&").append(encode(name)).append('=').append(encode(value)));
    return path + q;
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The URL, body and headers (signed now) of the request, to send with any client. */
  public Prepared prepare() {
    String pathAndQuery = pathAndQuery();
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("Content-Type", contentType);
    if (signer != null && !all.containsKey("Authorization")) {
      all.put("Authorization", RequestSigning.authorization(signer, operation.method, pathAndQuery, body));
    } else if (!all.containsKey("Authorization")) {
      // Prism only checks that a declared security header is present.
      all.put("Authorization", RequestSigner.SCHEME + " mchid=\"0\",nonce_str=\"0\",signature=\"0\","
          + "timestamp=\"0\",serial_no=\"0\"");
    }
    return new Prepared(base + pathAndQuery, body.clone(), all);
  }

  public Result send() {
    Prepared prepared = prepare();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(prepared.url))
        .timeout(Duration.ofSeconds(30))
        .method(operation.method, HttpRequest.BodyPublishers.ofByteArray(prepared.body));
    prepared.headers.forEach(request::header);
    try {
      HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Result(response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A request ready to send. */
  public static final class Prepared {
    public final String url;
    public final byte[] body;
    public final Map<String, String> headers;

    Prepared(String url, byte[] body, Map<String, String> headers) {
      this.url = url;
      this.body = body;
      this.headers = headers;
    }
  }

  /** Status, body and Prism's verdict header. */
  public static final class Result {
    public final int status;
    public final String body;
    public final String contentType;
    /** {@code sl-violations} (a JSON array) or null. */
    public final String violations;
    public final HttpResponse<byte[]> response;

    Result(HttpResponse<byte[]> response) {
      this.response = response;
      this.status = response.statusCode();
      this.body = new String(response.body(), StandardCharsets.UTF_8);
      this.contentType = response.headers().firstValue("Content-Type").orElse(null);
      this.violations = response.headers().firstValue("sl-violations").orElse(null);
    }

    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("Not JSON: " + body, e);
      }
    }

    @Override
    public String toString() {
      return "HTTP " + status + " " + body + (violations == null ? "" : "\nsl-violations: " + violations);
    }
  }
}
