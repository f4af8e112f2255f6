package io.github.wechatpaypartner.sandbox;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The sandbox's HTTP/1.1 server: keep-alive connections, {@code Content-Length} and chunked
 * bodies, {@code Expect: 100-continue}. Written here rather than taken from the JDK because the
 * JDK's server rewrites header names ({@code Wechatpay-timestamp}) and the official SDK looks
 * {@code Wechatpay-Timestamp} up case-sensitively, as the service spells it; and because a fault
 * must be able to drop a connection with no answer at all.
 */
final class HttpListener implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HttpListener.class.getName());
  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
  /** An idle keep-alive connection is closed after this. */
  private static final int IDLE_MILLIS = 60_000;
  private static final Map<Integer, String> REASONS = Map.of(200, "OK", 400, "Bad Request", 401, "Unauthorized",
      404, "Not Found", 429, "Too Many Requests", 500, "Internal Server Error", 502, "Bad Gateway",
      503, "Service Unavailable");

  /** One request as received. */
  static final class Request {
    final String method;
    final String rawPath;
    /** Raw query, or null. */
    final String rawQuery;
    /** Names as sent, looked up without regard to case. */
    final Map<String, List<String>> headers;
    final byte[] body;

    Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
      this.method = method;
      this.rawPath = rawPath;
      this.rawQuery = rawQuery;
      this.headers = headers;
      this.body = body;
    }

    String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  /** What to send back: status, headers in their exact case, body; {@link #NONE} drops the connection. */
  static final class Response {
    static final Response NONE = new Response(0, Map.of(), new byte[0], e -> { });

    final int status;
    final Map<String, String> headers;
    final byte[] body;
    /** Told when the answer could not be written (the client left). */
    final Consumer<IOException> undelivered;

    Response(int status, Map<String, String> headers, byte[] body, Consumer<IOException> undelivered) {
      this.status = status;
      this.headers = headers;
      this.body = body;
      this.undelivered = undelivered;
    }
  }

  interface Handler {
    Response handle(Request request);
  }

  private final ServerSocket server;
  private final ExecutorService executor;
  private final Handler handler;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  HttpListener(String host, int port, Handler handler) throws IOException {
    this.handler = handler;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    this.executor = Executors.newCachedThreadPool(r -> Notifier.daemon(r, "sandbox-http"));
    Thread acceptor = Notifier.daemon(this::accept, "sandbox-http-accept");
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        open.add(socket);
        executor.execute(() -> serve(socket));
      } catch (IOException e) {
        if (!server.isClosed()) {
          LOG.log(System.Logger.Level.WARNING, "accept failed", e);
        }
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setSoTimeout(IDLE_MILLIS);
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      while (true) {
        Request request;
        try {
          request = read(in, out);
        } catch (EOFException | SocketException closed) {
          return;
        } catch (BadRequest e) {
          write(out, new Response(400, Map.of("Content-Type", "text/plain"),
              e.getMessage().getBytes(StandardCharsets.UTF_8), x -> { }), true);
          return;
        }
        if (request == null) {
          return;
        }
        Response response = handler.handle(request);
        if (response == Response.NONE) {
          socket.setSoLinger(true, 0); // a reset, as a dropped connection looks to the client
          return;
        }
        boolean close = "close".equalsIgnoreCase(request.header("Connection"));
        try {
          write(out, response, close);
        } catch (IOException gone) {
          response.undelivered.accept(gone);
          return;
        }
        if (close) {
          return;
        }
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "connection ended: {0}", e.toString());
    } finally {
      open.remove(socket);
    }
  }

  /** The next request on the connection, or null when the client closed it between requests. */
  private static Request read(InputStream in, OutputStream out) throws IOException {
    String requestLine = line(in, true);
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new BadRequest("not an HTTP/1.x request line: " + requestLine);
    }
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    int headBytes = requestLine.length();
    for (String line; !(line = line(in, false)).isEmpty(); ) {
      headBytes += line.length();
      int colon = line.indexOf(':');
      if (colon <= 0 || headBytes > MAX_HEAD_BYTES) {
        throw new BadRequest("bad header line");
      }
      headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
          .add(line.substring(colon + 1).trim());
    }
    if ("100-continue".equalsIgnoreCase(first(headers, "Expect"))) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    byte[] body;
    String length = first(headers, "Content-Length");
    if ("chunked".equalsIgnoreCase(first(headers, "Transfer-Encoding"))) {
      body = chunked(in);
    } else if (length != null) {
      int n;
      try {
        n = Integer.parseInt(length.trim());
      } catch (NumberFormatException e) {
        throw new BadRequest("bad Content-Length");
      }
      if (n < 0 || n > MAX_BODY_BYTES) {
        throw new BadRequest("Content-Length out of range");
      }
      body = in.readNBytes(n);
      if (body.length < n) {
        throw new EOFException();
      }
    } else {
      body = new byte[0];
    }
    String target = parts[1];
    int q = target.indexOf('?');
    return new Request(parts[0].toUpperCase(Locale.ROOT), q < 0 ? target : target.substring(0, q),
        q < 0 ? null : target.substring(q + 1), Collections.unmodifiableMap(headers), body);
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line(in, false);
      int n;
      try {
        n = Integer.parseInt(size.split(";")[0].trim(), 16);
      } catch (NumberFormatException e) {
        throw new BadRequest("bad chunk size");
      }
      if (n == 0) {
        while (!line(in, false).isEmpty()) {
          // trailers, ignored
        }
        return body.toByteArray();
      }
      if (body.size() + n > MAX_BODY_BYTES) {
        throw new BadRequest("body too large");
      }
      byte[] chunk = in.readNBytes(n);
      if (chunk.length < n) {
        throw new EOFException();
      }
      body.writeBytes(chunk);
      line(in, false);
    }
  }

  /** One CRLF-terminated line (ISO-8859-1); null at a clean end of stream when {@code eofOk}. */
  private static String line(InputStream in, boolean eofOk) throws IOException {
    StringBuilder s = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (eofOk && s.length() == 0) {
          return null;
        }
        throw new EOFException();
      }
      if (c == '\n') {
        int end = s.length() > 0 && s.charAt(s.length() - 1) == '\r' ? s.length() - 1 : s.length();
        return s.substring(0, end);
      }
      if (s.length() > MAX_HEAD_BYTES) {
        throw new BadRequest("line too long");
      }
      s.append((char) c);
    }
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static void write(OutputStream out, Response response, boolean close) throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.status).append(' ')
        .append(REASONS.getOrDefault(response.status, "Status")).append("\r\n");
    Map<String, String> headers = new LinkedHashMap<>(response.headers);
    headers.put("Content-Length", Integer.toString(response.body.length));
    if (close) {
      headers.put("Connection", "close");
    }
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.UTF_8));
    out.write(response.body);
    out.flush();
  }

  /** Stops accepting, closes every open connection and stops the threads. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing the listener: {0}", e.toString());
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    executor.shutdownNow();
  }

  private static final class BadRequest extends IOException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }
}
