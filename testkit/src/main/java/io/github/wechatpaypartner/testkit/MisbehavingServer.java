package io.github.wechatpaypartner.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WeChat Pay host that misbehaves at the HTTP level, on a loopback socket: it answers with
 * whatever headers it is given (signed ones included) and then drips, stalls, or streams a body
 * without end. For tests of what a client does when a proxy, a broken gateway or a man in the
 * middle answers. Every connection is served by one daemon thread; {@link #close()} ends them all.
 */
public final class MisbehavingServer implements AutoCloseable {
  /** What the server does once it has read one request. */
  @FunctionalInterface
  public interface Behaviour {
    void answer(OutputStream out, MisbehavingServer server) throws IOException, InterruptedException;
  }

  private final ServerSocket socket;
  private final Behaviour behaviour;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicLong written = new AtomicLong();
  private final Thread acceptor;

  private MisbehavingServer(Behaviour behaviour) throws IOException {
    this.behaviour = behaviour;
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "misbehaving-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static MisbehavingServer start(Behaviour behaviour) throws IOException {
    return new MisbehavingServer(behaviour);
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort());
  }

  /** Body and header bytes written so far, over every connection. */
  public long bytesWritten() {
    return written.get();
  }

  /** Status line and headers, then the body's first bytes at once, the rest one byte per {@code pause}. */
  public static Behaviour drip(int status, Map<String, String> headers, byte[] body, int atOnce,
      Duration pause) {
    return (out, server) -> {
      server.head(out, status, headers, "Content-Length: " + body.length);
      server.write(out, body, 0, Math.min(atOnce, body.length));
      for (int i = atOnce; i < body.length; i++) {
        Thread.sleep(pause.toMillis());
        server.write(out, body, i, 1);
      }
    };
  }

  /** Status line and headers, then a chunked body that never ends (64 KiB chunks, as fast as read). */
  public static Behaviour endless(int status, Map<String, String> headers) {
    return (out, server) -> {
      server.head(out, status, headers, "Transfer-Encoding: chunked");
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, (byte) '{');
      byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] end = "\r\n".getBytes(StandardCharsets.US_ASCII);
      while (true) {
        server.write(out, size, 0, size.length);
        server.write(out, chunk, 0, chunk.length);
        server.write(out, end, 0, end.length);
      }
    };
  }

  /** A body of {@code length} bytes of {@code fill}, declared by Content-Length and streamed. */
  public static Behaviour sized(int status, Map<String, String> headers, long length, byte fill) {
    return (out, server) -> {
      server.head(out, status, headers, "Content-Length: " + length);
      byte[] block = new byte[64 * 1024];
      java.util.Arrays.fill(block, fill);
      for (long sent = 0; sent < length; sent += block.length) {
        server.write(out, block, 0, (int) Math.min(block.length, length - sent));
      }
    };
  }

  private void head(OutputStream out, int status, Map<String, String> headers, String framing)
      throws IOException {
    StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n")
        .append("Content-Type: application/json\r\n").append(framing).append("\r\n");
    headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
    byte[] bytes = sb.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    write(out, bytes, 0, bytes.length);
  }

  private void write(OutputStream out, byte[] bytes, int from, int length) throws IOException {
    out.write(bytes, from, length);
    out.flush();
    written.addAndGet(length);
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        open.add(s);
        Thread t = new Thread(() -> serve(s), "misbehaving-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      readRequest(s.getInputStream());
      behaviour.answer(s.getOutputStream(), this);
    } catch (IOException | InterruptedException closedByTheClient) {
      // The client gave up, which is what the tests look for.
    } finally {
      open.remove(s);
    }
  }

  /** Reads the head and a Content-Length body, so the client's request is whole before answering. */
  private static void readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return;
      }
      head.write(b);
      matched = (b == '\r' || b == '\n') && (matched % 2 == 0) == (b == '\r') ? matched + 1 : b == '\r' ? 1 : 0;
    }
    long length = 0;
    for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Long.parseLong(line.substring(15).trim());
      }
    }
    in.readNBytes((int) length);
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
