package io.github.wechatpaypartner.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One call of one operation through a loopback server (same JVM) that answers the spec's 200
 * example, signed with the test WeChat Pay key: serialization, signing, HTTP/1.1 over 127.0.0.1,
 * verification of the answer and its deserialization. Our generated client (JDK or ACCP provider)
 * against the official SDK's generic call of the same path and body.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 3)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoundTripBenchmark {

  @Param({"createDeliveryPlan", "addStockBundle", "updateStockBudget"})
  public String operation;

  @Param({Clients.OFFICIAL, Clients.OURS_JDK, Clients.OURS_ACCP})
  public String client;

  private LoopbackServer server;
  private RoundTrip call;
  private double serverBytesPerRequest = -1;
  /** How the client rejected an answer signed with a wrong key (shown by SmokeCheck). */
  String rejection;

  @Setup
  public void setUp() throws Exception {
    SpecFixtures fixtures = SpecFixtures.load();
    TestKeys keys = TestKeys.generate();
    server = new LoopbackServer(fixtures, keys.wechatPay.getPrivate(), TestKeys.TEST_PUBLIC_KEY_ID);
    call = Clients.call(client, keys, server.baseUri(), fixtures.operation(operation));
    rejection = Clients.selfCheck(client, call, server, keys, operation);
  }

  @Setup(Level.Iteration)
  public void markServerAllocations() {
    server.markAllocations();
  }

  @TearDown(Level.Iteration)
  public void readServerAllocations() {
    serverBytesPerRequest = server.allocatedBytesPerRequest();
  }

  @TearDown
  public void tearDown() throws IOException {
    server.close();
    // The server's share of gc.alloc.rate.norm (last iteration), for the report to subtract.
    String out = System.getProperty("benchmarks.serverAllocations");
    if (out != null && serverBytesPerRequest >= 0) {
      Files.write(Paths.get(out), (client + "\t" + operation + "\t" + Math.round(serverBytesPerRequest) + "\n")
          .getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  @Benchmark
  public Object roundTrip() throws Exception {
    return call.call();
  }
}
