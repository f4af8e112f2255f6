package io.github.wechatpaypartner.fleet.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * A real Redis server for a test class, from the binary the embedded-redis jar ships: started on
 * a free loopback port before the class, stopped after it whether its tests pass or not (and by a
 * shutdown hook if the JVM ends first). It keeps nothing on disk, writes only under
 * {@code target/}, and can be stopped and started again on the same port mid-test.
 */
final class EmbeddedRedis implements BeforeAllCallback, AfterAllCallback {
  private final Deque<String> output = new ArrayDeque<>();
  private RedisServer server;
  private int port;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    port = freeLoopbackPort();
    File dir = Files.createDirectories(Path.of("target", "embedded-redis")).toFile();
    server = RedisServer.newRedisServer()
        .executableProvider(ExecutableProvider.newJarResourceProvider(dir))
        .bind("127.0.0.1")
        .port(port)
        .setting("save \"\"")          // no snapshots, no files: a restart comes back empty
        .setting("appendonly no")
        .setting("protected-mode yes")
        .onShutdownForceStop(true)       // the shutdown hook kills it if the JVM ends mid-test
        .soutListener(this::keep)        // drains its output, kept for failure messages
        .serrListener(this::keep)
        .build();
    server.start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    stop();
  }

  /** {@code redis://127.0.0.1:<port>}. */
  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** Stops the server (an outage); {@link #start()} brings it back on the same port. */
  void stop() throws IOException {
    if (server != null) {
      server.stop();
    }
  }

  void start() throws IOException {
    server.start();
  }

  boolean running() {
    return server != null && server.isActive();
  }

  /** The server's last lines of output. */
  synchronized String output() {
    return String.join("\n", output);
  }

  private synchronized void keep(String line) {
    output.addLast(line);
    while (output.size() > 50) {
      output.removeFirst();
    }
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
