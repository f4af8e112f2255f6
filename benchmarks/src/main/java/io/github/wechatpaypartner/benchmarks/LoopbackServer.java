package io.github.wechatpaypartner.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the WeChat Pay API on 127.0.0.1 (free port), on plain sockets: HTTP/1.1 with
 * keep-alive, one thread per connection, answering each operation's path with the spec's 200
 * example signed like the service signs answers, header names in the service's exact case.
 *
 * <p>The whole answer (status line, headers, body) is pre-built and pre-signed per path, so the
 * server's RSA stays out of every client's measurement and its per-request work is parsing the
 * request and one write. A background thread re-signs the answers (new timestamp and nonce) every
 * {@link #RESIGN_AFTER_SECONDS} seconds, well inside the clients' five-minute window.
 *
 * <p>With {@link #checkRequests(PublicKey)} the server also verifies each request's Authorization
 * (the correctness checks; off while measuring).
 */
public final class LoopbackServer implements AutoCloseable {
  static final long RESIGN_AFTER_SECONDS = 30;
  private static final Pattern AUTH_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final String SCHEMA = "WECHATPAY2-SHA256-RSA2048";
  private static final byte[] NOT_FOUND_BODY =
      "{\"code\":\"NOT_FOUND\",\"message\":\"no such operation\"}".getBytes(StandardCharsets.UTF_8);

  private final ServerSocket socket;
  private final Map<String, byte[]> bodies = new HashMap<>();
  private final String publicKeyId;
  private final Thread acceptor;
  private final Thread resigner;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  /** Path to the complete signed answer; replaced whole when re-signed. */
  private volatile Map<String, byte[]> answers;
  private volatile PrivateKey answerKey;
  private volatile PublicKey requestKey;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger acceptedRequests = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile String lastRejection;
  private volatile boolean closed;
  /** Ids of the connection threads: their allocations are the server's share of a round trip. */
  private final Set<Long> handlerThreads = ConcurrentHashMap.newKeySet();
  private long markedBytes;
  private int markedRequests;

  public LoopbackServer(SpecFixtures fixtures, PrivateKey answerKey, String publicKeyId) throws IOException {
    this.answerKey = answerKey;
    this.publicKeyId = publicKeyId;
    for (String operationId : SpecFixtures.OPERATIONS) {
      SpecFixtures.Operation op = fixtures.operation(operationId);
      bodies.put(op.path, op.responseBytes());
    }
    answers = signAll();
    socket = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "loopback-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    resigner = new Thread(this::resignLoop, "loopback-resign");
    resigner.setDaemon(true);
    resigner.start();
  }

  /** {@code http://127.0.0.1:PORT}, no trailing slash. */
  public String baseUri() {
    return "http://127.0.0.1:" + socket.getLocalPort();
  }

  /** Signs answers from now on with this key (a stranger's key: clients must reject them). */
  public synchronized void signAnswersWith(PrivateKey key) {
    answerKey = key;
    answers = signAll();
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

  /** TCP connections accepted so far (a client that keeps its connections alive opens few). */
  public int connections() {
    return connections.get();
  }

  public String lastRejection() {
    return lastRejection;
  }

  /** Starts counting what the server allocates (JMH's gc profiler counts every thread of the JVM). */
  public synchronized void markAllocations() {
    markedBytes = handlerAllocatedBytes();
    markedRequests = requests.get();
  }

  /** Bytes the server allocated per request since {@link #markAllocations()}; -1 if unknown. */
  public synchronized double allocatedBytesPerRequest() {
    int handled = requests.get() - markedRequests;
    long bytes = handlerAllocatedBytes();
    return handled <= 0 || bytes < 0 || markedBytes < 0 ? -1 : (double) (bytes - markedBytes) / handled;
  }

  private long handlerAllocatedBytes() {
    if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean)) {
      return -1;
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (long id : handlerThreads) {
      long bytes = threads.getThreadAllocatedBytes(id);
      sum += Math.max(bytes, 0);
    }
    return sum;
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = socket.accept();
        connections.incrementAndGet();
        client.setTcpNoDelay(true);
        open.add(client);
        Thread handler = new Thread(() -> serve(client), "loopback-conn");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        if (!closed) {
          lastRejection = "accept failed: " + e;
        }
      }
    }
  }

  private void resignLoop() {
    while (!closed) {
      try {
        Thread.sleep(RESIGN_AFTER_SECONDS * 1000);
      } catch (InterruptedException e) {
        return;
      }
      synchronized (this) {
        answers = signAll();
      }
    }
  }

  /** One connection: requests one after another until the client closes it. */
  private void serve(Socket client) {
    handlerThreads.add(Thread.currentThread().getId());
    try (Socket s = client; InputStream in = new BufferedInputStream(s.getInputStream(), 16384);
         OutputStream out = s.getOutputStream()) {
      while (true) {
        Request request = Request.read(in);
        if (request == null) {
          return;
        }
        requests.incrementAndGet();
        out.write(answer(request));
        out.flush();
        if (request.close) {
          return;
        }
      }
    } catch (IOException e) {
      // Client went away (closed its pool, or the server is closing).
    } finally {
      open.remove(client);
    }
  }

  private byte[] answer(Request request) {
    byte[] ready = "POST".equals(request.method) ? answers.get(request.path) : null;
    if (ready == null) {
      return signed(404, NOT_FOUND_BODY);
    }
    PublicKey check = requestKey;
    if (check != null) {
      String problem = checkAuthorization(request, check);
      if (problem != null) {
        lastRejection = problem;
        return signed(401, ("{\"code\":\"SIGN_ERROR\",\"message\":\"" + problem + "\"}")
            .getBytes(StandardCharsets.UTF_8));
      }
      acceptedRequests.incrementAndGet();
    }
    return ready;
  }

  private Map<String, byte[]> signAll() {
    Map<String, byte[]> signedAnswers = new HashMap<>();
    bodies.forEach((path, body) -> signedAnswers.put(path, signed(200, body)));
    return signedAnswers;
  }

  /** A complete HTTP/1.1 answer, signed now with the current key. */
  private byte[] signed(int status, byte[] body) {
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    String nonce = WireMessages.nonce();
    String signature = WireMessages.signBase64(answerKey, WireMessages.responseMessage(timestamp, nonce, body));
    String head = "HTTP/1.1 " + status + (status == 200 ? " OK" : status == 401 ? " Unauthorized" : " Not Found") + "\r\n"
        + "Content-Type: application/json; charset=utf-8\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "Request-ID: 08B0B7A9C10610A1E9AE4B18A2E2E90D20D8A401-" + timestamp + "\r\n"
        + "Wechatpay-Timestamp: " + timestamp + "\r\n"
        + "Wechatpay-Nonce: " + nonce + "\r\n"
        + "Wechatpay-Signature: " + signature + "\r\n"
        + "Wechatpay-Serial: " + publicKeyId + "\r\n"
        + "Wechatpay-Signature-Type: " + SCHEMA + "\r\n"
        + "\r\n";
    ByteArrayOutputStream answer = new ByteArrayOutputStream(head.length() + body.length);
    answer.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    answer.writeBytes(body);
    return answer.toByteArray();
  }

  /** Null when the Authorization header is a valid signature of this request, else why not. */
  private static String checkAuthorization(Request request, PublicKey key) {
    String authorization = request.headers.get("authorization");
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
    byte[] message = WireMessages.requestMessage(request.method, request.target,
        Long.parseLong(params.get("timestamp")), params.get("nonce_str"), request.body);
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
    String wechatpaySerial = request.headers.get("wechatpay-serial");
    if (wechatpaySerial != null && !wechatpaySerial.isEmpty() && !TestKeys.TEST_PUBLIC_KEY_ID.equals(wechatpaySerial)) {
      return "Wechatpay-Serial names " + wechatpaySerial;
    }
    return null;
  }

  @Override
  public void close() {
    closed = true;
    resigner.interrupt();
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    try {
      acceptor.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One parsed HTTP/1.1 request: request line, headers (names lower-cased), body. */
  private static final class Request {
    final String method;
    /** Path plus query, as sent. */
    final String target;
    final String path;
    final Map<String, String> headers;
    final byte[] body;
    final boolean close;

    private Request(String method, String target, Map<String, String> headers, byte[] body) {
      this.method = method;
      this.target = target;
      int query = target.indexOf('?');
      this.path = query < 0 ? target : target.substring(0, query);
      this.headers = headers;
      this.body = body;
      this.close = "close".equalsIgnoreCase(headers.get("connection"));
    }

    /** The next request, or null at the end of the stream. */
    static Request read(InputStream in) throws IOException {
      String requestLine = line(in);
      if (requestLine == null) {
        return null;
      }
      String[] parts = requestLine.split(" ");
      if (parts.length != 3) {
        throw new IOException("bad request line: " + requestLine);
      }
      Map<String, String> headers = new HashMap<>();
      for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
      }
      byte[] body;
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        body = chunked(in);
      } else {
        String length = headers.get("content-length");
        body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
      }
      return new Request(parts[0], parts[1], headers, body);
    }

    private static byte[] chunked(InputStream in) throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String size = line(in);
        if (size == null) {
          throw new IOException("end of stream in a chunked body");
        }
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
          for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
            // trailers are ignored
          }
          return body.toByteArray();
        }
        body.writeBytes(in.readNBytes(n));
        line(in);
      }
    }

    /** One CRLF-terminated line as ISO-8859-1, null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
      StringBuilder line = new StringBuilder(64);
      int c;
      while ((c = in.read()) != -1) {
        if (c == '\n') {
          int end = line.length();
          return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
        }
        line.append((char) c);
      }
      if (line.length() == 0) {
        return null;
      }
      throw new SocketException("connection closed inside a line");
    }
  }
}
