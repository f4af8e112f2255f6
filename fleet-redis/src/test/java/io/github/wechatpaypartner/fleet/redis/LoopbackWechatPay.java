package io.github.wechatpaypartner.fleet.redis;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.SpecCatalog;
import io.github.wechatpaypartner.client.runtime.Operation;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import io.github.wechatpaypartner.testkit.RequestAuthentication;
import io.github.wechatpaypartner.testkit.ServiceSigner;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * WeChat Pay on a loopback socket, as far as rate limits go: checks each request's signature as
 * the service does, counts arrivals per operation, and answers 429 RATELIMIT_EXCEEDED (signed)
 * when an operation has had more than its spec limit plus {@code allowance} requests in the last
 * second; otherwise the spec's 200 example, signed. Binds 127.0.0.1 on a free port; close it.
 */
final class LoopbackWechatPay implements AutoCloseable {
  static final GeneratedCredentials KEYS = GeneratedCredentials.generate();
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(8);
  private final int allowance;
  private final ServiceSigner signer = new ServiceSigner(KEYS.wechatpayKeys().getPrivate(),
      KEYS.wechatpayPublicKeyId(), Clock.systemUTC());
  private final RequestAuthentication authentication = new RequestAuthentication(KEYS.mchid(),
      KEYS.merchantSerial(), KEYS.merchantKeys().getPublic(), Clock.systemUTC());
  private final Map<Operation, Pattern> paths = new ConcurrentHashMap<>();
  private final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();
  private final Map<String, String> answers = new ConcurrentHashMap<>();
  private final AtomicInteger tooMany = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  /** @param allowance requests per second above each operation's spec limit that are still answered 200 */
  LoopbackWechatPay(int allowance) throws IOException {
    this.allowance = allowance;
    SpecDocument spec = SpecDocument.load();
    for (Operation op : SpecCatalog.OPERATIONS.values()) {
      paths.put(op, Pattern.compile(op.path().replaceAll("\\{[^}]+}", "[^/]+")));
      answers.put(op.id(), spec.operation(op.id()).responses().get(200).examples.values().iterator().next().toString());
      arrivals.put(op.id(), Collections.synchronizedList(new ArrayList<>()));
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", this::answer);
    server.setExecutor(threads);
    server.start();
  }

  /** A client of the generated merchant, trusting this service's key. */
  static WechatPayClient.Builder merchantClient() {
    return WechatPayClient.builder()
        .mchid(KEYS.mchid())
        .merchantSerial(KEYS.merchantSerial())
        .privateKey(KEYS.merchantKeys().getPrivate())
        .wechatpayPublicKey(KEYS.wechatpayPublicKeyId(), KEYS.wechatpayKeys().getPublic());
  }

  /** {@link #merchantClient()} talking to this server, one attempt per call. */
  WechatPayClient.Builder clientBuilder() {
    return merchantClient().hosts(URI.create("http://127.0.0.1:" + server.getAddress().getPort())).noRetries();
  }

  /** The arrival times (nanoTime) of an operation's requests, in order. */
  List<Long> arrivals(String operationId) {
    List<Long> times = arrivals.get(operationId);
    synchronized (times) {
      return List.copyOf(times);
    }
  }

  /** The most requests of an operation that arrived within any one second. */
  int maxInAnySecond(String operationId) {
    List<Long> times = arrivals(operationId);
    int max = 0;
    for (int first = 0, last = 0; last < times.size(); last++) {
      while (times.get(last) - times.get(first) >= SECOND) {
        first++;
      }
      max = Math.max(max, last - first + 1);
    }
    return max;
  }

  /** How many requests were answered 429. */
  int tooManyRequests() {
    return tooMany.get();
  }

  /** How many requests failed the signature check (none should). */
  int refusedSignatures() {
    return refused.get();
  }

  void reset() {
    arrivals.values().forEach(List::clear);
    tooMany.set(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    long now = System.nanoTime();
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getRawPath();
      Operation op = paths.entrySet().stream().filter(e -> e.getValue().matcher(path).matches())
          .map(Map.Entry::getKey).findFirst().orElse(null);
      if (op == null) {
        send(exchange, 404, "{\"code\":\"NOT_FOUND\",\"message\":\"no such operation\"}");
        return;
      }
      RequestAuthentication.Result auth = authentication.check(exchange.getRequestMethod(),
          exchange.getRequestURI().getRawPath(), exchange.getRequestHeaders().getFirst("Authorization"), body);
      if (!auth.accepted()) {
        refused.incrementAndGet();
        send(exchange, 401, "{\"code\":\"SIGN_ERROR\",\"message\":\"" + auth.refusal().orElseThrow() + "\"}");
        return;
      }
      if (overLimit(op, now)) {
        tooMany.incrementAndGet();
        send(exchange, 429, "{\"code\":\"RATELIMIT_EXCEEDED\",\"message\":\"too many requests\"}");
        return;
      }
      send(exchange, 200, answers.get(op.id()));
    } finally {
      exchange.close();
    }
  }

  /** Records the arrival; true when the last second then holds more than the limit plus the allowance. */
  private boolean overLimit(Operation op, long now) {
    List<Long> times = arrivals.get(op.id());
    synchronized (times) {
      int index = times.size();
      while (index > 0 && times.get(index - 1) > now) {
        index--;  // handler threads may record slightly out of order
      }
      times.add(index, now);
      if (op.rateLimitPerSecond().isEmpty()) {
        return false;
      }
      int inLastSecond = 0;
      for (int i = index; i >= 0 && now - times.get(i) < SECOND; i--) {
        inLastSecond++;
      }
      return inLastSecond > op.rateLimitPerSecond().getAsInt() + allowance;
    }
  }

  private void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    signer.headers(bytes).forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.getResponseHeaders().add("Request-ID", "08LOOPBACK-" + System.nanoTime());
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
