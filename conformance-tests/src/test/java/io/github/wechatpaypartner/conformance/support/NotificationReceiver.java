package io.github.wechatpaypartner.conformance.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The merchant's side of notifications: a loopback endpoint that records each POST (headers and
 * exact body) and answers with the statuses it is told to, 200 {@code {"code":"SUCCESS"}} once
 * they run out.
 */
public final class NotificationReceiver implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final Deque<Integer> statuses = new ArrayDeque<>();
  private final List<Received> received = new ArrayList<>();

  private NotificationReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/", exchange -> {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
      int status;
      synchronized (this) {
        status = statuses.isEmpty() ? 200 : statuses.pop();
        received.add(new Received(headers, body, status));
        notifyAll();
      }
      byte[] answer = (status == 200 ? "{\"code\":\"SUCCESS\",\"message\":\"OK\"}" : "{\"code\":\"FAIL\",\"message\":\"try later\"}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    });
    server.start();
  }

  public static NotificationReceiver start() {
    try {
      return new NotificationReceiver();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/wechatpay/notify");
  }

  /** The next POSTs are answered with these statuses, in order. */
  public synchronized NotificationReceiver answer(int... next) {
    for (int s : next) {
      statuses.add(s);
    }
    return this;
  }

  /** Waits until {@code count} POSTs have arrived; returns them all. */
  public synchronized List<Received> await(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(received.size() + " of " + count + " notifications arrived within " + timeout);
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return List.copyOf(received);
  }

  public synchronized List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** One POST: headers (first values, case-insensitive names), exact body, the status answered. */
  public static final class Received {
    public final Map<String, String> headers;
    public final byte[] body;
    public final int answeredStatus;

    Received(Map<String, String> headers, byte[] body, int answeredStatus) {
      this.headers = headers;
      this.body = body;
      this.answeredStatus = answeredStatus;
    }
  }
}
