package io.github.wechatpaypartner.client.generated;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** A loopback HTTP server on a free port that records what arrives and answers as told. */
final class LoopbackServer implements AutoCloseable {
  /** One request as it arrived. */
  static final class Received {
    final String method;
    final String rawPathAndQuery;
    final Map<String, List<String>> headers;
    final byte[] body;

    Received(String method, String rawPathAndQuery, Map<String, List<String>> headers, byte[] body) {
      this.method = method;
      this.rawPathAndQuery = rawPathAndQuery;
      this.headers = headers;
      this.body = body;
    }

    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  private final HttpServer server;
  final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile byte[] answer = new byte[0];
  private volatile Map<String, String> answerHeaders = Map.of();
  private volatile CountDownLatch hold;

  LoopbackServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUri() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  LoopbackServer answer(int status, byte[] body, Map<String, String> headers) {
    this.status = status;
    this.answer = body;
    this.answerHeaders = headers;
    return this;
  }

  /** Keeps every answer back until {@link #close()} (to provoke a timeout). */
  LoopbackServer holdAnswers() {
    this.hold = new CountDownLatch(1);
    return this;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
          + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
          Map.copyOf(exchange.getRequestHeaders()), in.readAllBytes()));
    }
    CountDownLatch h = hold;
    if (h != null) {
      try {
        h.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    answerHeaders.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
    if (answer.length > 0) {
      exchange.getResponseBody().write(answer);
    }
    exchange.close();
  }

  @Override
  public void close() {
    CountDownLatch h = hold;
    if (h != null) {
      h.countDown();
    }
    server.stop(0);
  }
}
