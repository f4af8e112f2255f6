package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.sandbox.Fault;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.spec.SpecDocument;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's README tables say what the spec and the code say (error examples per operation,
 * the faults), and the root README's sandbox commands run exactly as written, quoting included:
 * the jar starts with the quoted fault armed and listed, each curl line works, SIGTERM exits 0.
 * The one change: port 8080 becomes a free port, so the test never meets a busy one.
 */
class ReadmeTest {
  private static final Pattern CODE = Pattern.compile("`([A-Z_0-9]+)`");

  @Test
  void theErrorExampleTableIsTheSpecs() throws IOException {
    List<String> lines = readme();
    int header = lines.indexOf("| operation | 400 | 401 | 404 | 429 | 500 |");
    List<Integer> statuses = List.of(400, 401, 404, 429, 500);
    Map<String, List<String>> documented = new TreeMap<>();
    for (String line : lines.subList(header + 2, lines.size())) {
      if (!line.startsWith("|")) {
        break;
      }
      String[] cells = line.split("\\|", -1);
      List<String> row = new ArrayList<>();
      for (int i = 0; i < statuses.size(); i++) {
        row.add(codes(cells[i + 2]).toString());
      }
      documented.put(cells[1].trim().replace("`", ""), row);
    }
    Map<String, List<String>> spec = new TreeMap<>();
    for (SpecOperation op : SpecDocument.load(ModulePaths.spec()).operations().values()) {
      spec.put(op.operationId, statuses.stream().map(s -> op.responses().containsKey(s)
          ? new TreeSet<>(op.responses().get(s).examples.keySet()).toString() : "[]").collect(Collectors.toList()));
    }
    assertEquals(spec, documented, "README.md's error example table (right) against the spec (left)");
  }

  @Test
  void theFaultTableListsEveryFault() throws IOException {
    List<String> lines = readme();
    int header = lines.indexOf("| fault | what the client gets |");
    TreeSet<String> documented = new TreeSet<>();
    for (String line : lines.subList(header + 2, lines.size())) {
      if (!line.startsWith("|")) {
        break;
      }
      documented.addAll(codes(line.split("\\|")[1]));
    }
    assertEquals(new TreeSet<>(Arrays.stream(Fault.Kind.values()).map(Enum::name).collect(Collectors.toList())),
        documented);
  }

  private static TreeSet<String> codes(String cell) {
    TreeSet<String> codes = new TreeSet<>();
    Matcher m = CODE.matcher(cell);
    while (m.find()) {
      codes.add(m.group(1));
    }
    return codes;
  }

  private static List<String> readme() throws IOException {
    return Files.readAllLines(ModulePaths.moduleDir().resolveSibling("sandbox").resolve("README.md"), StandardCharsets.UTF_8);
  }

  @Test
  void theRootReadmesSandboxCommandsRunAsWritten(@TempDir Path cache) throws Exception {
    Path root = ModulePaths.moduleDir().getParent();
    String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
    String section = readme.substring(readme.indexOf("## Try it in a minute"));
    section = section.substring(0, section.indexOf("\n## ", 5));
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL).matcher(section);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertEquals(2, blocks.size(), "the section has a start block and a curl block");
    Path jar = root.resolve("sandbox/target/wechatpay-partner-sandbox-2.0.0-all.jar");
    assertTrue(Files.isRegularFile(jar), () -> jar + " is missing: the sandbox module's package phase builds it");
    String port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = Integer.toString(free.getLocalPort());
    }
    ProcessBuilder start = new ProcessBuilder("bash", "-c", blocks.get(0).replace("8080", port))
        .directory(root.toFile()).redirectErrorStream(true);
    start.environment().put("XDG_CACHE_HOME", cache.toString());
    Process sandbox = start.start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(sandbox.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder banner = new StringBuilder();
      CompletableFuture.runAsync(() -> {
        try {
          for (String line; (line = out.readLine()) != null && !line.startsWith("One line per request"); ) {
            banner.append(line).append('\n');
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).get(60, TimeUnit.SECONDS);
      assertTrue(banner.toString().contains("armed now: addStockBundle:RATE_LIMITED;retry-after=1:next=1"), banner::toString);
      assertTrue(Files.isRegularFile(cache.resolve("wechatpay-sandbox").resolve("sandbox.json")), "files in the cache folder");
      List<String> answers = new ArrayList<>();
      for (String line : blocks.get(1).split("\n")) {
        Process curl = new ProcessBuilder("bash", "-c", line.replace("8080", port)).redirectErrorStream(true).start();
        String answer = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, curl.exitValue(), () -> line + "\n" + answer);
        answers.add(answer);
      }
      ObjectMapper json = new ObjectMapper();
      assertEquals("addStockBundle:RATE_LIMITED;retry-after=1:next=1",
          json.readTree(answers.get(0)).path("armed").get(0).path("rule").asText(), answers.get(0));
      assertEquals("createDeliveryPlan:GATEWAY_503:next=1", json.readTree(answers.get(1)).path("rule").asText());
      assertTrue(json.readTree(answers.get(2)).path("exchanges").isArray(), answers.get(2));
      assertTrue(json.readTree(answers.get(3)).path("operations").isArray(), answers.get(3));
      // bash ran the one command in place (exec), so the process is the sandbox's JVM; TERM both to be sure.
      sandbox.descendants().forEach(p -> signal("TERM", p.pid()));
      signal("TERM", sandbox.pid());
      assertTrue(sandbox.waitFor(30, TimeUnit.SECONDS), "still running after SIGTERM");
      assertEquals(0, sandbox.exitValue(), "SIGTERM stops the sandbox with exit status 0");
    } finally {
      sandbox.descendants().forEach(ProcessHandle::destroyForcibly);
      sandbox.destroyForcibly();
    }
  }

  private static void signal(String signal, long pid) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
