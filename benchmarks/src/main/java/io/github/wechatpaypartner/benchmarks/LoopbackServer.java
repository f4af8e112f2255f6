package io.github.wechatpaypartner.benchmarks;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the WeChat Pay API on 127.0.0.1 (free port): answers each operation's path with
 * the spec's 200 example, signed like the service signs answers.
 *
 * <p>Signing an answer costs the server a full RSA sign. To keep that cost out of the client
 * measurements, the signed answer is cached per path and re-signed (new timestamp and nonce) once
 * it is {@link #RESIGN_AFTER_SECONDS} old, well inside the clients' five-minute window.
 *
 * <p>With {@link #checkRequests(PublicKey)} the server also verifies each request's
 * Authorization header (used by the correctness checks, off while measuring).
 */
public final class LoopbackServer implements AutoCloseable {
  static final long RESIGN_AFTER_SECONDS = 30;
  private static final Pattern AUTH_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final String SCHEMA = "WECHATPAY2-SHA256-RSA2048";
  /** JVM option that lets the server send header names in the service's exact case. */
  public static final String ADD_OPENS = "--add-opens=jdk.httpserver/com.sun.net.httpserver=ALL-UNNAMED";
  private static final Field HEADER_MAP = headerMap();

  private static final class SignedAnswer {
    final long signedAt;
    final String timestamp;
    final String nonce;
    final String signature;

    SignedAnswer(long signedAt, String timestamp, String nonce, String signature) {
      this.signedAt = signedAt;
      this.timestamp = timestamp;
      this.nonce = nonce;
      this.signature = signature;
    }
  }

  private final HttpServer server;
  private final Map<String, byte[]> answers = new HashMap<>();
  private final Map<String, SignedAnswer> signed = new HashMap<>();
  private final String publicKeyId;
  private volatile PrivateKey answerKey;
  private volatile PublicKey requestKey;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger acceptedRequests = new AtomicInteger();
  private final AtomicLong requestId = new AtomicLong();
  private volatile String lastRejection;
  private volatile long dispatcherThread = -1;
  private long markedBytes;
  private int markedRequests;

  public LoopbackServer(SpecFixtures fixtures, PrivateKey answerKey, String publicKeyId) throws IOException {
    this.answerKey = answerKey;
    this.publicKeyId = publicKeyId;
    // Without TCP_NODELAY, Nagle's algorithm and delayed ACKs add ~40 ms to each exchange on
    // loopback, which would drown what is measured. Read once, when HttpServer first starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    for (String operationId : SpecFixtures.OPERATIONS) {
      SpecFixtures.Operation op = fixtures.operation(operationId);
      answers.put(op.path, op.responseBytes());
    }
    server.createContext("/", this::handle);
    server.start();
  }

  /** {@code http://127.0.0.1:PORT}, no trailing slash. */
  public String baseUri() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Signs answers from now on with this key (a stranger's key: clients must reject them). */
  public synchronized void signAnswersWith(PrivateKey key) {
    answerKey = key;
    signed.clear();
  }

  /** Verifies every request's Authorization with the merchant's public key; null turns it off. */
  public void checkRequests(PublicKey merchantPublicKey) {
    requestKey = merchantPublicKey;
  }

  public int requests() {
    return requests.get();
  }

  /** Requests whose Authorization verified (counted only while {@link #checkRequests} is on). */
  public int acceptedRequests() {
    return acceptedRequests.get();
  }

  public String lastRejection() {
    return lastRejection;
  }

  /**
   * Starts counting what the server allocates. HttpServer without an executor parses, handles and
   * answers every exchange on its one dispatcher thread, so that thread's allocations are the
   * server's share of a round trip (JMH's gc profiler counts every thread of the JVM).
   */
  public synchronized void markAllocations() {
    markedBytes = dispatcherAllocatedBytes();
    markedRequests = requests.get();
  }

  /** Bytes the server allocated per request since {@link #markAllocations()}; -1 if unknown. */
  public synchronized double allocatedBytesPerRequest() {
    int handled = requests.get() - markedRequests;
    long bytes = dispatcherAllocatedBytes();
    return handled <= 0 || bytes < 0 || markedBytes < 0 ? -1 : (double) (bytes - markedBytes) / handled;
  }

  private long dispatcherAllocatedBytes() {
    long thread = dispatcherThread;
    if (thread < 0 || !(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean)) {
      return -1;
    }
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(thread);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      if (dispatcherThread < 0) {
        dispatcherThread = Thread.currentThread().getId();
      }
      byte[] body = in.readAllBytes();
      requests.incrementAndGet();
      String path = exchange.getRequestURI().getRawPath();
      byte[] answer = answers.get(path);
      if (answer == null || !"POST".equals(exchange.getRequestMethod())) {
        respond(exchange, 404, "{\"code\":\"NOT_FOUND\",\"message\":\"no such operation\"}"
            .getBytes(StandardCharsets.UTF_8), path);
        return;
      }
      PublicKey check = requestKey;
      if (check != null) {
        String problem = checkAuthorization(exchange, check, body);
        if (problem != null) {
          lastRejection = problem;
          respond(exchange, 401, ("{\"code\":\"SIGN_ERROR\",\"message\":\"" + problem + "\"}")
              .getBytes(StandardCharsets.UTF_8), path);
          return;
        }
        acceptedRequests.incrementAndGet();
      }
      respond(exchange, 200, answer, path);
    }
  }

  private void respond(HttpExchange exchange, int status, byte[] body, String path) throws IOException {
    SignedAnswer signature = signatureFor(status == 200 ? path : null, body);
    Map<String, List<String>> headers = exactCase(exchange.getResponseHeaders());
    headers.put("Content-Type", List.of("application/json; charset=utf-8"));
    headers.put("Request-ID", List.of("08B0B7A9C10610A1E9AE4B18A2E2E90D20D8A401-" + requestId.incrementAndGet()));
    headers.put("Wechatpay-Timestamp", List.of(signature.timestamp));
    headers.put("Wechatpay-Nonce", List.of(signature.nonce));
    headers.put("Wechatpay-Signature", List.of(signature.signature));
    headers.put("Wechatpay-Serial", List.of(publicKeyId));
    headers.put("Wechatpay-Signature-Type", List.of(SCHEMA));
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * The map behind HttpServer's response headers. {@link Headers} rewrites names as
   * "Wechatpay-timestamp", and the official SDK looks its headers up case-sensitively
   * ("Wechatpay-Timestamp", as the service sends them), so names go into the map unchanged.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, List<String>> exactCase(Headers headers) {
    try {
      return (Map<String, List<String>>) HEADER_MAP.get(headers);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Field headerMap() {
    try {
      Field field = Headers.class.getDeclaredField("map");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("The loopback server needs the JVM option " + ADD_OPENS
          + " to send header names in their exact case", e);
    }
  }

  /** The cached signature of the path's answer, re-signed when stale; errors are signed each time. */
  private synchronized SignedAnswer signatureFor(String path, byte[] body) {
    long now = System.currentTimeMillis() / 1000;
    SignedAnswer cached = path == null ? null : signed.get(path);
    if (cached == null || now - cached.signedAt >= RESIGN_AFTER_SECONDS) {
      String timestamp = Long.toString(now);
      String nonce = WireMessages.nonce();
      String signature = WireMessages.signBase64(answerKey,
          WireMessages.responseMessage(timestamp, nonce, body));
      cached = new SignedAnswer(now, timestamp, nonce, signature);
      if (path != null) {
        signed.put(path, cached);
      }
    }
    return cached;
  }

  /** Null when the Authorization header is a valid signature of this request, else why not. */
  private static String checkAuthorization(HttpExchange exchange, PublicKey key, byte[] body) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null || !authorization.startsWith(SCHEMA + " ")) {
      return "missing or foreign Authorization: " + authorization;
    }
    Map<String, String> params = new HashMap<>();
    Matcher m = AUTH_PARAM.matcher(authorization.substring(SCHEMA.length() + 1));
    while (m.find()) {
      params.put(m.group(1), m.group(2));
    }
    for (String name : new String[] {"mchid", "nonce_str", "timestamp", "serial_no", "signature"}) {
      if (!params.containsKey(name)) {
        return "Authorization lacks " + name;
      }
    }
    if (!TestKeys.TEST_MCHID.equals(params.get("mchid"))) {
      return "unexpected mchid " + params.get("mchid");
    }
    String canonicalUrl = exchange.getRequestURI().getRawPath()
        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
    byte[] message = WireMessages.requestMessage(exchange.getRequestMethod(), canonicalUrl,
        Long.parseLong(params.get("timestamp")), params.get("nonce_str"), body);
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(key);
      verifier.update(message);
      if (!verifier.verify(Base64.getDecoder().decode(params.get("signature")))) {
        return "request signature does not verify";
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return "request signature unreadable: " + e;
    }
    String wechatpaySerial = exchange.getRequestHeaders().getFirst("Wechatpay-Serial");
    if (wechatpaySerial != null && !wechatpaySerial.isEmpty() && !TestKeys.TEST_PUBLIC_KEY_ID.equals(wechatpaySerial)) {
      return "Wechatpay-Serial names " + wechatpaySerial;
    }
    return null;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
