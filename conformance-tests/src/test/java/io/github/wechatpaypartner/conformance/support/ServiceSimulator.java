package io.github.wechatpaypartner.conformance.support;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands between the client and Prism and does what the real service does beyond the schema:
 * checks the request's {@code Authorization} (scheme, mchid, serial_no, fresh timestamp, signature
 * with the merchant public key), answers 401 SIGN_ERROR when it fails, else forwards the request to
 * Prism and returns Prism's answer signed with the WeChat Pay private key. Every exchange is
 * recorded with Prism's {@code sl-violations} verdict for assertions.
 */
public final class ServiceSimulator implements AutoCloseable {
  /** How answers are signed; anything but VALID must fail the client's verification. */
  public enum ResponseSigning { VALID, BAD_SIGNATURE, SIGNTEST_PROBE, UNKNOWN_SERIAL, UNSIGNED }

  private static final long MAX_CLOCK_SKEW_SECONDS = 300;
  /** Headers HttpClient sets itself (or refuses); everything else is forwarded to Prism. */
  private static final Set<String> NOT_FORWARDED =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding",
          "keep-alive", "http2-settings");

  private final URI prism;
  private final TestCredentials credentials;
  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient http;
  private final List<RecordedExchange> exchanges = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong requestCounter = new AtomicLong();
  private volatile ResponseSigning responseSigning = ResponseSigning.VALID;

  private ServiceSimulator(URI prism, TestCredentials credentials) throws IOException {
    this.prism = prism;
    this.credentials = credentials;
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "service-simulator");
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .executor(executor)
        .build();
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts on a free loopback port in front of Prism at {@code prism}. */
  public static ServiceSimulator start(URI prism, TestCredentials credentials) {
    try {
      return new ServiceSimulator(prism, credentials);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public TestCredentials credentials() {
    return credentials;
  }

  public void responseSigning(ResponseSigning mode) {
    this.responseSigning = mode;
  }

  /** A snapshot of the exchanges seen so far. */
  public List<RecordedExchange> exchanges() {
    synchronized (exchanges) {
      return new ArrayList<>(exchanges);
    }
  }

  public RecordedExchange lastExchange() {
    synchronized (exchanges) {
      if (exchanges.isEmpty()) {
        throw new IllegalStateException("The simulator has seen no request");
      }
      return exchanges.get(exchanges.size() - 1);
    }
  }

  public void clearExchanges() {
    exchanges.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      URI uri = exchange.getRequestURI();
      String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      Map<String, List<String>> requestHeaders = copy(exchange.getRequestHeaders());

      String signError = checkSignature(exchange.getRequestHeaders(), method, pathAndQuery, body);
      int status;
      byte[] answer;
      String contentType = "application/json";
      String violations = null;
      if (signError != null) {
        status = 401;
        answer = ("{\"code\":\"SIGN_ERROR\",\"message\":\"" + signError.replace("\"", "'") + "\"}")
            .getBytes(StandardCharsets.UTF_8);
      } else {
        HttpResponse<byte[]> forwarded = forward(exchange, method, pathAndQuery, body);
        status = forwarded.statusCode();
        answer = forwarded.body();
        contentType = forwarded.headers().firstValue("Content-Type").orElse(contentType);
        violations = forwarded.headers().firstValue("sl-violations").orElse(null);
      }
      Headers out = exchange.getResponseHeaders();
      out.set("Content-Type", contentType);
      if (violations != null) {
        out.set("sl-violations", violations);
      }
      sign(out, answer);
      exchanges.add(new RecordedExchange(method, uri.getRawPath(), uri.getRawQuery(), requestHeaders,
          body, signError, status, answer, violations));
      exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(answer);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } catch (RuntimeException | IOException e) {
      // HttpServer would swallow it silently: make it visible in the test output.
      System.err.println("ServiceSimulator failed on " + exchange.getRequestURI() + ": " + e);
      throw e;
    } finally {
      exchange.close();
    }
  }

  /** Null when the Authorization header is good, else why not (the 401 message). */
  private String checkSignature(Headers headers, String method, String pathAndQuery, byte[] body) {
    String header = headers.getFirst("Authorization");
    if (header == null) {
      return "missing Authorization header";
    }
    Map<String, String> auth = Signatures.parseAuthorization(header);
    if (auth == null) {
      return "Authorization does not use the " + Signatures.SCHEME + " scheme";
    }
    for (String key : List.of("mchid", "serial_no", "nonce_str", "timestamp", "signature")) {
      String value = auth.get(key);
      if (value == null || value.isEmpty()) {
        return "Authorization lacks " + key;
      }
    }
    if (!credentials.mchid.equals(auth.get("mchid"))) {
      return "unknown mchid " + auth.get("mchid");
    }
    if (!credentials.merchantSerialNo.equals(auth.get("serial_no"))) {
      return "serial_no " + auth.get("serial_no") + " is not the merchant certificate's";
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(auth.get("timestamp"));
    } catch (NumberFormatException e) {
      return "timestamp is not Unix seconds: " + auth.get("timestamp");
    }
    if (Math.abs(System.currentTimeMillis() / 1000 - timestamp) > MAX_CLOCK_SKEW_SECONDS) {
      return "timestamp " + timestamp + " is more than 5 minutes from the service clock";
    }
    String message = Signatures.requestMessage(method, pathAndQuery, auth.get("timestamp"),
        auth.get("nonce_str"), body);
    if (!Signatures.verify(credentials.merchantKeys.getPublic(), message, auth.get("signature"))) {
      return "signature does not verify with the merchant public key";
    }
    return null;
  }

  private HttpResponse<byte[]> forward(HttpExchange exchange, String method, String pathAndQuery,
      byte[] body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(prism + pathAndQuery))
        .timeout(Duration.ofSeconds(30))
        .method(method, body.length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      if (NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String value : header.getValue()) {
        request.header(header.getKey(), value);
      }
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private void sign(Headers out, byte[] body) {
    ResponseSigning mode = responseSigning;
    String requestId = "08" + Signatures.nonce().substring(0, 22) + "-"
        + (268_435_456L + requestCounter.incrementAndGet());
    out.set("Request-ID", requestId);
    if (mode == ResponseSigning.UNSIGNED) {
      return;
    }
    String timestamp = Signatures.nowSeconds();
    String nonce = Signatures.nonce();
    String signature = Signatures.sign(credentials.wechatpayKeys.getPrivate(),
        Signatures.responseMessage(timestamp, nonce, body));
    if (mode == ResponseSigning.BAD_SIGNATURE) {
      // Signed over other bytes: well-formed, but not this body's signature.
      signature = Signatures.sign(credentials.wechatpayKeys.getPrivate(),
          Signatures.responseMessage(timestamp, nonce, "{}".getBytes(StandardCharsets.UTF_8)));
    } else if (mode == ResponseSigning.SIGNTEST_PROBE) {
      signature = "WECHATPAY/SIGNTEST/" + signature;
    }
    out.set("Wechatpay-Timestamp", timestamp);
    out.set("Wechatpay-Nonce", nonce);
    out.set("Wechatpay-Signature", signature);
    out.set("Wechatpay-Serial", mode == ResponseSigning.UNKNOWN_SERIAL
        ? "PUB_KEY_ID_0000000000000000000000000000" : credentials.wechatpayPublicKeyId);
    out.set("Wechatpay-Signature-Type", Signatures.SCHEME);
  }

  private static Map<String, List<String>> copy(Headers headers) {
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return Collections.unmodifiableMap(copy);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** One request the simulator saw and what it answered. */
  public static final class RecordedExchange {
    public final String method;
    public final String path;
    /** Raw query or null. */
    public final String query;
    /** Case-insensitive. */
    public final Map<String, List<String>> requestHeaders;
    public final byte[] requestBody;
    /** Why the signature check failed, or null when it passed (and Prism was asked). */
    public final String signError;
    public final int status;
    public final byte[] responseBody;
    /** Prism's {@code sl-violations} header (JSON array), or null when Prism found none. */
    public final String violations;

    RecordedExchange(String method, String path, String query, Map<String, List<String>> requestHeaders,
        byte[] requestBody, String signError, int status, byte[] responseBody, String violations) {
      this.method = method;
      this.path = path;
      this.query = query;
      this.requestHeaders = requestHeaders;
      this.requestBody = requestBody;
      this.signError = signError;
      this.status = status;
      this.responseBody = responseBody;
      this.violations = violations;
    }

    public String header(String name) {
      List<String> values = requestHeaders.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String requestBodyText() {
      return new String(requestBody, StandardCharsets.UTF_8);
    }

    public String responseBodyText() {
      return new String(responseBody, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return method + " " + path + (query == null ? "" : "?" + query) + " -> " + status
          + (signError == null ? "" : " (sign error: " + signError + ")")
          + (violations == null ? "" : " sl-violations=" + violations);
    }
  }
}
