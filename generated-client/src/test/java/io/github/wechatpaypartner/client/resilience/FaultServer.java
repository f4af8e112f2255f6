package io.github.wechatpaypartner.client.resilience;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP server (127.0.0.1, free port) that answers requests from a script, in order,
 * and records what it received. {@link #close()} releases hanging handlers and stops it.
 */
final class FaultServer implements AutoCloseable {

  /** One scripted answer. */
  static final class Answer {
    final int status;
    final Map<String, String> headers;
    final String body;
    final boolean hang;

    private Answer(int status, Map<String, String> headers, String body, boolean hang) {
      this.status = status;
      this.headers = headers;
      this.body = body;
      this.hang = hang;
    }
  }

  /** What the server received. */
  static final class Received {
    final String method;
    final String pathAndQuery;
    final Map<String, String> headers;
    final byte[] body;

    Received(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
      this.method = method;
      this.pathAndQuery = pathAndQuery;
      this.headers = headers;
      this.body = body;
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Answer> script;
  private final List<Received> received = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  /** An answer with a JSON body and header name/value pairs; a Request-ID is added when absent. */
  static Answer answer(int status, String body, String... headerPairs) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i + 1 < headerPairs.length; i += 2) {
      headers.put(headerPairs[i], headerPairs[i + 1]);
    }
    return new Answer(status, headers, body, false);
  }

  /** Never answers (until the server is closed): the client's request timeout must fire. */
  static Answer hang() {
    return new Answer(0, Map.of(), "", true);
  }

  static FaultServer start(Answer... script) throws IOException {
    return new FaultServer(Arrays.asList(script));
  }

  /** A loopback port nothing listens on: bound, then closed (connecting to it is refused). */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private FaultServer(List<Answer> script) throws IOException {
    this.script = List.copyOf(script);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // A pool, not one thread: a hanging handler must not hold up the next request.
    this.executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  URI origin() {
    return URI.create("http://127.0.0.1:" + port());
  }

  int port() {
    return server.getAddress().getPort();
  }

  synchronized List<Received> received() {
    return List.copyOf(received);
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      Map<String, String> headers = new LinkedHashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
      int index;
      synchronized (this) {
        received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().toString(), headers, body));
        index = received.size() - 1;
      }
      if (index >= script.size()) {
        send(ex, 599, Map.of("Request-ID", "script-exhausted"), "{\"code\":\"TEST_SCRIPT_EXHAUSTED\"}");
        return;
      }
      Answer a = script.get(index);
      if (a.hang) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return; // closing without answering
      }
      Map<String, String> h = new LinkedHashMap<>(a.headers);
      h.putIfAbsent("Request-ID", "req-" + port() + "-" + (index + 1));
      send(ex, a.status, h, a.body);
    } finally {
      ex.close();
    }
  }

  private static void send(HttpExchange ex, int status, Map<String, String> headers, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
