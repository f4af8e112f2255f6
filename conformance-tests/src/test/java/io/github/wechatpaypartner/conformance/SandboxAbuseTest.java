package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wechatpaypartner.conformance.support.ControlPlane;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.RawCall;
import io.github.wechatpaypartner.sandbox.RecordedExchange;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SandboxSettings;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Item 5, bounded and on loopback only: large and unauthenticated bodies, many idle connections,
 * malformed HTTP and a long stream of signed requests. The record stays bounded (refused bodies cut
 * to 4 KiB), 413 comes before a big body is read, connections and threads stay under the cap,
 * malformed input gets 400 with no stack trace logged, the heap stays flat, and good signed requests
 * are answered 200 throughout. Figures go to target/sandbox-abuse.txt (measures, not assertions,
 * except the heap bound and a generous latency ratio).
 */
class SandboxAbuseTest {
  private static final SpecDocument SPEC = SpecDocument.load(ModulePaths.spec());
  private static final int RECORD = 100;
  private static final int CONNECTIONS = 16;

  @Test
  void itStaysUpBoundedAndAnswersGoodRequestsThroughout() throws Exception {
    List<LogRecord> stackTraces = new CopyOnWriteArrayList<>();
    Logger sandboxLog = Logger.getLogger("io.github.wechatpaypartner.sandbox");
    Handler catcher = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getThrown() != null) {
          stackTraces.add(r);
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    sandboxLog.addHandler(catcher);
    StringBuilder figures = new StringBuilder();
    try (Sandbox sandbox = Sandbox.start(SandboxSettings.builder().spec(ModulePaths.spec()).rateLimit(false)
        .recordSize(RECORD).maxConnections(CONNECTIONS).build())) {
      List<Integer> goodStatuses = new CopyOnWriteArrayList<>();
      AtomicBoolean abusing = new AtomicBoolean(true);
      Thread good = new Thread(() -> {
        while (abusing.get()) {
          try {
            goodStatuses.add(budget(sandbox).send().status);
          } catch (RuntimeException e) {
            goodStatuses.add(-1); // no answer at all
          }
          sleep(20);
        }
      }, "good-client");
      good.start();

      // 1. Bodies over the limit: 413 before the body is read (8 MiB announced, 64 KiB sent).
      for (int i = 0; i < 30; i++) {
        assertEquals("HTTP/1.1 413 Payload Too Large", raw(sandbox, "POST " + path("createDeliveryPlan") + " HTTP/1.1\r\n"
            + "Host: x\r\nContent-Type: application/json\r\nContent-Length: " + (8 << 20) + "\r\n\r\n", new byte[64 << 10]));
      }
      // 2. Unauthenticated bodies under the limit: refused 401, kept as their first 4 KiB.
      byte[] big = ("{\"out_request_no\":\"" + "x".repeat(512 << 10) + "\"}").getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 40; i++) {
        assertEquals("HTTP/1.1 401 Unauthorized", raw(sandbox, "POST " + path("createDeliveryPlan") + " HTTP/1.1\r\n"
            + "Host: x\r\nContent-Type: application/json\r\nContent-Length: " + big.length + "\r\n\r\n", big));
      }
      List<RecordedExchange> record = sandbox.exchanges();
      assertTrue(record.size() <= RECORD, "record of " + record.size());
      RecordedExchange refused = record.stream().filter(e -> e.requestBodyLength == big.length).findFirst().orElseThrow();
      assertEquals(4096, refused.requestBody.length, "a refused body is kept as its first 4 KiB");
      JsonNode overHttp = new ControlPlane(sandbox.uri(), null).call("GET", "/exchanges?limit=1", null).json();
      assertTrue(overHttp.path("exchanges").size() == 1);

      // 3. Malformed HTTP: 400, named, no stack trace.
      assertEquals("HTTP/1.1 400 Bad Request", raw(sandbox, "POST " + path("createDeliveryPlan") + " HTTP/1.1\r\n"
          + "Host: x\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n", new byte[0]));
      assertEquals("HTTP/1.1 400 Bad Request", raw(sandbox,
          "POST " + path("updateStockBudget").replaceFirst("/stocks/[^/]+/", "/stocks/%zz/") + " HTTP/1.1\r\nHost: x\r\n\r\n",
          new byte[0]));
      assertEquals("HTTP/1.1 400 Bad Request", raw(sandbox, "HELLO\r\n\r\n", new byte[0]));

      // 4. Many idle connections: the cap holds, the longest-idle ones make room for new clients.
      List<Socket> idle = new ArrayList<>();
      try {
        for (int i = 0; i < 200; i++) {
          idle.add(new Socket("127.0.0.1", sandbox.uri().getPort()));
        }
        sleep(200);
        assertEquals(200, budget(sandbox).send().status, "a new client is served while 200 connections sit idle");
        assertTrue(sandbox.openConnections() <= CONNECTIONS, "open connections " + sandbox.openConnections());
        long threads = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("sandbox-http")).count();
        assertTrue(threads <= CONNECTIONS, "sandbox-http threads " + threads);
        figures.append("200 idle connections: ").append(sandbox.openConnections()).append(" kept open, ")
            .append(threads).append(" sandbox-http threads (cap ").append(CONNECTIONS).append(")\n");
      } finally {
        for (Socket s : idle) {
          s.close();
        }
      }

      // 5. A long stream of signed requests: heap and latency flat (the record is a bounded ring).
      long[] first = stream(sandbox, 100);
      long heapBefore = usedHeapAfterGc();
      stream(sandbox, 200);
      long[] last = stream(sandbox, 100);
      long heapAfter = usedHeapAfterGc();
      long firstMedian = median(first);
      long lastMedian = median(last);
      figures.append("signed stream of 400: median latency first 100 ").append(firstMedian / 1000).append(" us, last 100 ")
          .append(lastMedian / 1000).append(" us; used heap after GC ").append(heapBefore >> 20).append(" MiB -> ")
          .append(heapAfter >> 20).append(" MiB\n");
      assertTrue(heapAfter - heapBefore < (32L << 20), figures::toString);
      assertTrue(lastMedian < 3 * firstMedian + 20_000_000L, figures::toString);
      assertTrue(sandbox.exchanges().size() <= RECORD);

      abusing.set(false);
      good.join(10_000);
      figures.append("good requests during the abuse: ").append(goodStatuses.size()).append(", statuses ")
          .append(new java.util.TreeSet<>(goodStatuses)).append('\n');
      assertTrue(goodStatuses.size() > 0 && goodStatuses.stream().allMatch(s -> s == 200), figures::toString);
      assertEquals(List.of(), stackTraces.stream().map(r -> r.getMessage() + " " + r.getThrown())
          .collect(java.util.stream.Collectors.toList()));
    } finally {
      sandboxLog.removeHandler(catcher);
      Files.writeString(ModulePaths.targetFile("sandbox-abuse.txt"), figures.toString());
    }
  }

  /** The spec's updateStockBudget example, signed: the first is processed, the rest are replays (no state growth). */
  private static RawCall budget(Sandbox sandbox) {
    SpecDocument.SpecOperation op = SPEC.operation("updateStockBudget");
    return RawCall.to(sandbox.uri(), op).body(op.requestExamples().values().iterator().next())
        .signedWith(sandbox.credentials());
  }

  private static long[] stream(Sandbox sandbox, int n) {
    long[] nanos = new long[n];
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      int status = budget(sandbox).send().status;
      nanos[i] = System.nanoTime() - start;
      assertEquals(200, status);
    }
    return nanos;
  }

  private static String path(String operationId) {
    return RawCall.to(java.net.URI.create("http://x"), SPEC.operation(operationId)).pathAndQuery();
  }

  /** Sends {@code head} and {@code body} on a new connection; the answer's status line. */
  private static String raw(Sandbox sandbox, String head, byte[] body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", sandbox.uri().getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      try {
        out.write(body);
        out.flush();
      } catch (IOException closedEarly) {
        // the sandbox answered and closed before the whole body went: what a 413 does
      }
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
    }
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      sleep(50);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
