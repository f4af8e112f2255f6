package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.Ports;
import io.github.wechatpaypartner.conformance.support.RawCall;
import io.github.wechatpaypartner.sandbox.Fault;
import io.github.wechatpaypartner.sandbox.SandboxCredentials;
import io.github.wechatpaypartner.sandbox.SandboxMain;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox as a process, the way {@code java -jar} runs it: it prints its URL and a ready
 * client, one line per request (with its Request-ID), answers, and a SIGTERM (or Ctrl-C's SIGINT)
 * of its JVM stops it with exit status 0 and nothing left behind (it starts no child process; the
 * port is free again). {@code --print-json} prints {@code sandbox.json}'s description instead of the
 * banner; the key files are readable by their owner only. The time from the JVM's start to
 * the first answer is recorded in target/sandbox-startup.txt (a measure, not a timed assertion).
 */
class SandboxProcessTest {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
  private static final Path STARTUP = ModulePaths.targetFile("sandbox-startup.txt");

  @BeforeAll
  static void freshFigures() throws IOException {
    Files.deleteIfExists(STARTUP);
  }

  @Test
  void sigtermStopsItAndLeavesNoProcess(@TempDir Path dir) throws Exception {
    runAndStop(dir, "TERM");
  }

  @Test
  void ctrlCStopsItToo(@TempDir Path dir) throws Exception {
    runAndStop(dir, "INT");
  }

  @Test
  void helpListsEveryFault() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(null, SandboxMain.settingsFrom(new String[] {"--help"}, new PrintStream(out)));
    String help = out.toString(StandardCharsets.UTF_8);
    for (Fault.Kind kind : Fault.Kind.values()) {
      assertTrue(help.contains(kind.name() + " "), () -> kind + " missing from --help:\n" + help);
    }
    assertTrue(help.contains(Fault.HEADER));
  }

  @Test
  void aWrongOptionIsRefusedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SandboxMain.settingsFrom(new String[] {"--fault", "addStockBundle:QUAKE"},
            new PrintStream(new ByteArrayOutputStream())));
    assertTrue(e.getMessage().contains("QUAKE"), e::getMessage);
  }

  @Test
  void printJsonGivesTheDescriptionAndKeysAreOwnerOnly(@TempDir Path dir) throws Exception {
    Process process = sandboxProcess(dir, "--print-json", "--quiet");
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String first = CompletableFuture.supplyAsync(() -> {
        try {
          return lines.readLine();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).get(60, TimeUnit.SECONDS);
      JsonNode printed = new ObjectMapper().readTree(first);
      assertEquals(new ObjectMapper().readTree(dir.resolve(SandboxCredentials.DESCRIPTION_FILE).toFile()), printed);
      assertEquals(URI.create(printed.path("url").asText()).getPort(), printed.path("port").asInt());
      assertTrue(printed.path("merchant_serial").asText().matches("[1-7][0-9A-F]{39}"), first);
      for (String file : List.of(SandboxCredentials.MERCHANT_KEY_FILE, SandboxCredentials.API_V3_KEY_FILE,
          "sandbox-only-wechatpay-private-key.pem", SandboxCredentials.DESCRIPTION_FILE)) {
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(dir.resolve(file)), file);
      }
      new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, process.exitValue());
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void theDefaultFolderIsOutsideTheWorkingTree() {
    Path repository = ModulePaths.moduleDir().getParent();
    Path dir = io.github.wechatpaypartner.sandbox.SandboxMain.defaultFolder();
    assertFalse(dir.toAbsolutePath().normalize().startsWith(repository), dir + " is inside " + repository);
  }

  private static Process sandboxProcess(Path dir, String... more) throws IOException {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
        "io.github.wechatpaypartner.sandbox.SandboxMain", "--port", "0", "--dir", dir.toString(),
        "--spec", ModulePaths.spec().toString()));
    command.addAll(List.of(more));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static void runAndStop(Path dir, String signal) throws Exception {
    Process process = sandboxProcess(dir);
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
      CompletableFuture<URI> listening = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        try {
          for (String line; (line = lines.readLine()) != null; ) {
            output.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
              listening.complete(URI.create(m.group(1)));
            }
          }
          listening.completeExceptionally(new IllegalStateException("the sandbox exited before listening: " + output));
        } catch (IOException e) {
          listening.completeExceptionally(e);
        }
      }, "sandbox-output");
      reader.setDaemon(true);
      reader.start();
      URI uri = listening.get(60, TimeUnit.SECONDS);
      SpecDocument.SpecOperation op = SpecDocument.load(ModulePaths.spec()).operation("createDeliveryPlan");
      RawCall.Result first = RawCall.to(uri, op).body(op.requestExamples().values().iterator().next())
          .signedWith(SandboxCredentials.load(dir).orElseThrow()).send();
      long toFirstAnswer = Duration.between(process.info().startInstant().orElseThrow(), java.time.Instant.now()).toMillis();
      assertEquals(200, first.status, first::toString);
      Files.writeString(STARTUP, "SIG" + signal + " run: JVM start to first answer "
          + toFirstAnswer + " ms\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      System.out.println("sandbox process: JVM start to first answer " + toFirstAnswer + " ms");
      assertTrue(Files.isRegularFile(dir.resolve("seed.json")), "the seed is written for the user to edit");
      String requestId = first.response.headers().firstValue("Request-ID").orElseThrow();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (output.stream().noneMatch(l -> l.contains(requestId)) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(output.stream().anyMatch(l -> l.contains("createDeliveryPlan -> 200") && l.contains(requestId)),
          () -> "no request line with " + requestId + " in " + output);

      List<ProcessHandle> children = process.descendants().collect(java.util.stream.Collectors.toList());
      assertEquals(List.of(), children, "the sandbox starts no other process");
      new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "still running after SIG" + signal);
      assertEquals(0, process.exitValue(), "a clean stop on SIG" + signal + " exits 0");
      assertFalse(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false));
      assertTrue(Ports.free(uri), () -> "something still listens on " + uri);
    } finally {
      process.destroyForcibly();
    }
  }
}
