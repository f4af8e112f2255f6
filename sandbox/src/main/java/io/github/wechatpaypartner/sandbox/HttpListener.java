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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
  /** An idle keep-alive connection is closed after this. */
  private static final int IDLE_MILLIS = 30_000;
  private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(200, "OK"), Map.entry(201, "Created"),
      Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
      Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(413, "Payload Too Large"),
      Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"), Map.entry(502, "Bad Gateway"),
      Map.entry(503, "Service Unavailable"));

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

  /** Limits that keep a misbehaving or hostile client from taking the sandbox down. */
  static final class Limits {
    /** Bodies larger than this are refused with 413 before they are read. */
    final int maxBodyBytes;
    /** Open connections (and so threads) at most; past it the longest-waiting idle one is closed. */
    final int maxConnections;

    Limits(int maxBodyBytes, int maxConnections) {
      if (maxBodyBytes < 1 || maxConnections < 1) {
        throw new IllegalArgumentException("body and connection limits must be positive");
      }
      this.maxBodyBytes = maxBodyBytes;
      this.maxConnections = maxConnections;
    }
  }

  /** An open connection; {@code waitingSince} is when it began waiting for (part of) a request, 0 while a request is handled. */
  private static final class Connection {
    final Socket socket;
    volatile long waitingSince = System.nanoTime();

    Connection(Socket socket) {
      this.socket = socket;
    }
  }

  private final ServerSocket server;
  private final ExecutorService executor;
  private final Handler handler;
  private final Limits limits;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();

  HttpListener(String host, int port, Limits limits, Handler handler) throws IOException {
    this.handler = handler;
    this.limits = limits;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(host), port), 256);
    // One thread per connection, at most maxConnections of them (accept() makes room first).
    this.executor = new ThreadPoolExecutor(0, limits.maxConnections, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
        r -> Notifier.daemon(r, "sandbox-http"));
    Thread acceptor = Notifier.daemon(this::accept, "sandbox-http-accept");
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Open connections now. */
  int openConnections() {
    return open.size();
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (!server.isClosed()) {
          LOG.log(System.Logger.Level.WARNING, "accept failed: {0}", e.toString());
        }
        continue;
      }
      if (open.size() >= limits.maxConnections && !evictLongestWaiting()) {
        refuse(socket, 503, "the sandbox is serving " + open.size() + " requests at once; try again");
        continue;
      }
      Connection connection = new Connection(socket);
      open.add(connection);
      if (!start(connection)) {
        open.remove(connection);
        refuse(socket, 503, "no thread free; try again");
      }
    }
  }

  /** Serves {@code connection} on a thread; an evicted connection's thread may take a moment to end, so it waits up to a second. */
  private boolean start(Connection connection) {
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (true) {
      try {
        executor.execute(() -> serve(connection));
        return true;
      } catch (RejectedExecutionException full) {
        if (System.nanoTime() > deadline || server.isClosed()) {
          return false;
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  /**
   * Closes the connection that has waited longest for a request (idle keep-alive, or a head or
   * body trickling in): a client that holds connections open cannot lock others out.
   */
  private boolean evictLongestWaiting() {
    Connection oldest = null;
    for (Connection c : open) {
      long since = c.waitingSince;
      if (since != 0 && (oldest == null || since - oldest.waitingSince < 0)) {
        oldest = c;
      }
    }
    if (oldest == null) {
      return false;
    }
    open.remove(oldest);
    closeQuietly(oldest.socket);
    return true;
  }

  private static void refuse(Socket socket, int status, String why) {
    try (socket) {
      socket.setSoTimeout(1000);
      write(new BufferedOutputStream(socket.getOutputStream()), text(status, why), true);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "refusing a connection: {0}", e.toString());
    }
  }

  private static Response text(int status, String message) {
    return new Response(status, Map.of("Content-Type", "text/plain; charset=utf-8"),
        (message + "\n").getBytes(StandardCharsets.UTF_8), x -> { });
  }

  private void serve(Connection connection) {
    Socket socket = connection.socket;
    try (socket) {
      socket.setSoTimeout(IDLE_MILLIS);
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      while (true) {
        connection.waitingSince = System.nanoTime();
        Request request;
        try {
          request = read(in, out, limits.maxBodyBytes);
        } catch (EOFException | SocketException closed) {
          return;
        } catch (BadRequest e) {
          // Malformed HTTP: a plain answer naming the problem, the connection closed, no stack trace.
          write(out, text(e.status, e.getMessage()), true);
          drainBeforeClose(socket, in);
          return;
        }
        if (request == null) {
          return;
        }
        connection.waitingSince = 0;
        Response response;
        try {
          response = handler.handle(request);
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "the sandbox failed on " + request.method + " " + request.rawPath, e);
          response = text(500, "the sandbox failed: " + e);
        }
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
      open.remove(connection);
    }
  }

  /** The next request on the connection, or null when the client closed it between requests. */
  private static Request read(InputStream in, OutputStream out, int maxBody) throws IOException {
    String requestLine = line(in, true);
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.") || !parts[0].matches("[A-Za-z]{1,16}")
        || !parts[1].startsWith("/")) {
      throw new BadRequest(400, "not an HTTP/1.x request line: " + abbreviate(requestLine));
    }
    String target = parts[1];
    int q = target.indexOf('?');
    String rawPath = q < 0 ? target : target.substring(0, q);
    if (!wellEncoded(rawPath)) {
      throw new BadRequest(400, "malformed percent-encoding in the path: " + abbreviate(rawPath));
    }
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    int headBytes = requestLine.length();
    for (String line; !(line = line(in, false)).isEmpty(); ) {
      headBytes += line.length();
      int colon = line.indexOf(':');
      if (colon <= 0 || headBytes > MAX_HEAD_BYTES) {
        throw new BadRequest(400, "bad header line");
      }
      headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
          .add(line.substring(colon + 1).trim());
    }
    byte[] body;
    String length = first(headers, "Content-Length");
    boolean chunked = "chunked".equalsIgnoreCase(first(headers, "Transfer-Encoding"));
    long n = 0;
    if (!chunked && length != null) {
      try {
        n = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw new BadRequest(400, "bad Content-Length");
      }
      if (n < 0) {
        throw new BadRequest(400, "negative Content-Length");
      }
      if (n > maxBody) {
        // Refused before a byte of it is read; the connection is closed, the body never taken.
        throw new BadRequest(413, "body of " + n + " bytes is over the sandbox's limit of " + maxBody);
      }
    }
    if ("100-continue".equalsIgnoreCase(first(headers, "Expect"))) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    if (chunked) {
      body = chunked(in, maxBody);
    } else {
      body = in.readNBytes((int) n);
      if (body.length < n) {
        throw new EOFException();
      }
    }
    return new Request(parts[0].toUpperCase(Locale.ROOT), rawPath,
        q < 0 ? null : target.substring(q + 1), Collections.unmodifiableMap(headers), body);
  }

  /**
   * Lets the client read the answer: closing with its unread bytes in our buffer would make the
   * kernel send a reset that can destroy the answer in flight. Reads (and drops) at most 1 MiB for at
   * most a second, so a refused body is never taken whole.
   */
  private static void drainBeforeClose(Socket socket, InputStream in) {
    try {
      socket.shutdownOutput();
      socket.setSoTimeout(1000);
      long deadline = System.nanoTime() + 1_000_000_000L;
      byte[] sink = new byte[8192];
      int total = 0;
      for (int n; total < (1 << 20) && System.nanoTime() < deadline && (n = in.read(sink)) >= 0; ) {
        total += n;
      }
    } catch (IOException e) {
      // the client is gone: nothing left to protect
    }
  }

  /** True when every {@code %} is followed by two hex digits. */
  static boolean wellEncoded(String raw) {
    for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
      if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
          || Character.digit(raw.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "..." : s;
  }

  private static byte[] chunked(InputStream in, int maxBody) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line(in, false).split(";")[0].trim();
      if (!size.matches("[0-9A-Fa-f]{1,7}")) {
        throw new BadRequest(400, "bad chunk size '" + abbreviate(size) + "'");
      }
      int n = Integer.parseInt(size, 16);
      if (n == 0) {
        while (!line(in, false).isEmpty()) {
          // trailers, ignored
        }
        return body.toByteArray();
      }
      if ((long) body.size() + n > maxBody) {
        throw new BadRequest(413, "chunked body over the sandbox's limit of " + maxBody + " bytes");
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
        throw new BadRequest(400, "line too long");
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
    for (Connection c : open) {
      closeQuietly(c.socket);
    }
    executor.shutdownNow();
  }

  /** A request that cannot be read: answered with {@code status} (400, 413) and the connection closed. */
  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private static final class BadRequest extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;

    BadRequest(int status, String message) {
      super(message);
      this.status = status;
    }
  }
}
