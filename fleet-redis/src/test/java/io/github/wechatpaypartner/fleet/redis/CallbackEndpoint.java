package io.github.wechatpaypartner.fleet.redis;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.wechatpaypartner.client.notification.NotificationHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One instance of an application's callback URL: a loopback HTTP server that hands each POST to
 * its {@link NotificationHandler} and sends back the handler's answer, as a servlet would.
 */
final class CallbackEndpoint implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final NotificationHandler handler;
  private volatile NotificationHandler.Action action = event -> { };

  CallbackEndpoint(NotificationHandler handler) throws IOException {
    this.handler = handler;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/wechatpay/notify", this::receive);
    server.setExecutor(threads);
    server.start();
  }

  /** What the application does with each event from now on. */
  CallbackEndpoint action(NotificationHandler.Action action) {
    this.action = action;
    return this;
  }

  /** POSTs {@code callback} here as the service would; returns the answer. */
  HttpResponse<String> deliver(SpecCallback callback) throws IOException, InterruptedException {
    HttpRequest.Builder post = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/wechatpay/notify"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(callback.body))
        .header("Content-Type", "application/json");
    callback.headers().forEach(post::header);
    return HTTP.send(post.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void receive(HttpExchange exchange) throws IOException {
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      NotificationHandler.Answer answer = handler.handle(exchange.getRequestHeaders()::getFirst, body, action);
      byte[] json = answer.body();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), json.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(json);
      }
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
