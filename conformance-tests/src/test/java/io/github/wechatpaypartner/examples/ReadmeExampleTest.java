package io.github.wechatpaypartner.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import io.github.wechatpaypartner.sandbox.Fault;
import io.github.wechatpaypartner.sandbox.FaultRule;
import io.github.wechatpaypartner.sandbox.RecordedExchange;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SandboxCredentials;
import io.github.wechatpaypartner.sandbox.SandboxMain;
import io.github.wechatpaypartner.sandbox.SentNotification;
import io.github.wechatpaypartner.sandbox.junit.SandboxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Using the client" and "Receiving notifications" are this package's code: every
 * marked region of {@link UsingTheClient} and {@link ReceivingNotifications} appears in the README
 * verbatim, every Java block of those sections is such a region (a new snippet cannot go in
 * unchecked), and the regions run against a sandbox as a reader would use it: the client built from
 * its {@code sandbox.json}, the calls printing each result (a rerun says ALREADY_EXISTS), the
 * notification endpoint on the JDK's HTTP server handling each event once. The builder the
 * sandbox's banner prints compiles with the imports it prints, and calls the sandbox.
 */
@ExtendWith(SandboxExtension.class)
class ReadmeExampleTest {
  private static final Path EXAMPLES = Paths.get("src/test/java/io/github/wechatpaypartner/examples");
  private static final Path README = Paths.get("../README.md");
  private static final ObjectMapper JSON = WechatPayJson.newObjectMapper();
  /** Sections whose Java blocks must all be regions; subsections about certificates are another example's. */
  private static final Pattern CHECKED = Pattern.compile("## Using the client|### Receiving notifications");
  private static final Pattern UNCHECKED = Pattern.compile("(?i)#+ .*certificate.*");

  @Test
  void theReadmeShowsEveryRegionVerbatim() throws Exception {
    String readme = Files.readString(README);
    Map<String, List<String>> regions = Map.of(
        "UsingTheClient.java", regions(Files.readString(EXAMPLES.resolve("UsingTheClient.java"))),
        "ReceivingNotifications.java", regions(Files.readString(EXAMPLES.resolve("ReceivingNotifications.java"))));
    assertEquals(4, regions.get("UsingTheClient.java").size(), "imports, production build, sandbox build, calls");
    assertEquals(2, regions.get("ReceivingNotifications.java").size(), "imports, endpoint");
    regions.forEach((file, list) -> list.forEach(region -> assertTrue(readme.contains("```java\n" + region + "\n```"),
        "README.md lacks this block of " + file + ":\n" + region)));
  }

  @Test
  void everyJavaBlockOfTheClientSectionsIsACompiledRegion() throws Exception {
    List<String> regions = new ArrayList<>();
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList())) {
        regions.addAll(regions(Files.readString(file)));
      }
    }
    List<String> blocks = checkedJavaBlocks(Files.readString(README));
    assertTrue(blocks.size() >= 6, "the sections' Java blocks were found: " + blocks.size());
    for (String block : blocks) {
      assertTrue(regions.contains(block), "README.md shows Java no example compiles (put it in a README region of "
          + EXAMPLES + "):\n" + block);
    }
  }

  @Test
  void theBlockFinderKeepsTheCheckedSectionsOnly() {
    String readme = String.join("\n", "## Try it", "```java", "outside();", "```",
        "## Using the client", "```sh", "# a comment, not a heading", "```", "```java", "a();", "```",
        "### Platform certificates", "```java", "another engineer's();", "```",
        "### Faults", "```java", "b();", "```", "### Receiving notifications", "```java", "c();", "```",
        "## Spring Boot", "```java", "starter();", "```", "");
    assertEquals(List.of("a();", "b();", "c();"), checkedJavaBlocks(readme));
  }

  @Test
  void theProductionBuilderBuildsFromTheMerchantsFiles(Sandbox sandbox) {
    WechatPayClient client = UsingTheClient.build(sandbox.clientFiles());
    assertTrue(client.toString().contains(sandbox.credentials().merchantSerial()), client.toString());
  }

  @Test
  void theSandboxBuilderMakesTheCallsWhichPrintEachResultAndARerunSaysAlreadyExists(Sandbox sandbox) throws Exception {
    sandbox.reset();
    WechatPayClient client = UsingTheClient.sandbox(sandbox.clientFiles().resolve(SandboxCredentials.DESCRIPTION_FILE));

    List<String> printed = printed(() -> UsingTheClient.calls(client));
    assertEquals(List.of("addStockBundle 200", "createDeliveryPlan 200", "updateStockBudget 200"), seen(sandbox));
    JsonNode bundle = answer(sandbox, "addStockBundle");
    JsonNode plan = answer(sandbox, "createDeliveryPlan").get("plan");
    JsonNode stock = answer(sandbox, "updateStockBudget");
    List<String> stocks = new ArrayList<>();
    bundle.get("stock_list").forEach(s -> stocks.add(s.get("stock_id").asText()));
    assertEquals(List.of(
        "stock bundle " + bundle.get("stock_bundle_id").asText() + ", stocks " + stocks,
        "delivery plan " + plan.get("plan_id").asText() + " " + plan.get("plan_state").asText(),
        "stock " + stock.get("stock_id").asText() + " max_count " + stock.at("/stock_send_rule/max_count").asLong()),
        printed);

    List<String> rerun = printed(() -> UsingTheClient.calls(client));
    RecordedExchange refused = sandbox.lastExchange();
    assertEquals("addStockBundle 400", refused.operationId + " " + refused.status, "a rerun stops at the bundle");
    assertEquals(1, rerun.size(), rerun::toString);
    assertTrue(rerun.get(0).startsWith("already done before: ") && rerun.get(0).endsWith("(Request-ID " + refused.requestId() + ")"),
        rerun::toString);
  }

  @Test
  void anUnansweredAttemptFollowedByAlreadyExistsIsPrintedAsProbablyProcessed(Sandbox sandbox, WechatPayClient client) {
    sandbox.reset();
    sandbox.arm(FaultRule.next(1, "addStockBundle", Fault.answerLost()));
    List<String> printed = printed(() -> UsingTheClient.calls(client));
    assertEquals(List.of("addStockBundle 500", "addStockBundle 400"), seen(sandbox));
    // one message, its lines listing both attempts; nothing after the bundle ran
    assertTrue(printed.get(0).startsWith("probably done by an unanswered attempt, look it up: addStockBundle"), printed::toString);
    String text = String.join("\n", printed);
    sandbox.exchanges().forEach(e -> assertTrue(text.contains(e.requestId()), text));
    assertTrue(printed.stream().noneMatch(line -> line.startsWith("delivery plan") || line.startsWith("stock ")), text);
  }

  @Test
  void theEndpointVerifiesDecryptsAndHandlesEachEventOnce(Sandbox sandbox, WechatPayClient client) throws Exception {
    sandbox.reset();
    HttpServer server = ReceivingNotifications.listen(client, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/wechatpay/notify");
    try {
      sandbox.notifyUrl(endpoint);
      List<String> printed = printed(() -> {
        UsingTheClient.calls(client);   // a plan (DELIVERY_PLAN.CHANGE) and a bundle whose coupon is received
        List<SentNotification> sent = sandbox.awaitNotifications(2, Duration.ofSeconds(10));
        sandbox.duplicateNotification(sent.get(0).id);
        sandbox.awaitNotifications(3, Duration.ofSeconds(10));
      });
      List<SentNotification> all = sandbox.notifications();
      assertEquals(3, all.size(), all::toString);
      for (SentNotification n : all) {
        assertEquals(1, n.attempts().size(), n::toString);
        assertEquals(200, n.attempts().get(0).status, n::toString);
        assertEquals("{\"code\":\"SUCCESS\",\"message\":\"OK\"}", n.attempts().get(0).answer, n::toString);
      }
      List<String> handled = new ArrayList<>();
      for (SentNotification n : all.subList(0, 2)) {
        JsonNode r = n.resource;
        handled.add(n.id + (n.eventType.equals("DELIVERY_PLAN.CHANGE")
            ? ": plan " + r.get("plan_id").asText() + " " + r.get("plan_state").asText()
            : ": coupon " + r.get("coupon_code").asText() + " to " + r.get("openid").asText()));
      }
      assertEquals(Set.of("DELIVERY_PLAN.CHANGE", "PRODUCT_COUPON_SP.SEND"),
          Set.of(all.get(0).eventType, all.get(1).eventType));
      assertEquals(all.get(0).id, all.get(2).duplicateOf);
      assertEquals(handled, printed.stream().filter(line -> line.startsWith(all.get(0).id) || line.startsWith(all.get(1).id))
          .collect(Collectors.toList()), "each event handled once, the duplicate answered without running: " + printed);

      // Not from WeChat Pay: the same body without the signature headers runs nothing.
      HttpResponse<String> forged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(all.get(0).body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(401, forged.statusCode());
      assertTrue(forged.body().startsWith("{\"code\":\"FAIL\""), forged.body());
    } finally {
      sandbox.notifyUrl(null);
      server.stop(0);
    }
  }

  @Test
  void theBannersBuilderCompilesWithTheImportsItPrintsAndCallsTheSandbox(Sandbox sandbox, @TempDir Path classes)
      throws Exception {
    // The banner as `java -jar` prints it (SandboxMain.banner is package-private: the text, not an API).
    Method banner = SandboxMain.class.getDeclaredMethod("banner", Sandbox.class, Duration.class);
    banner.setAccessible(true);
    String text = (String) banner.invoke(null, sandbox, Duration.ZERO);
    String code = text.substring(text.indexOf("import "), text.indexOf(".build();") + ".build();".length());
    String imports = code.lines().filter(l -> l.startsWith("import ")).collect(Collectors.joining("\n"));
    String body = code.lines().filter(l -> !l.startsWith("import ")).collect(Collectors.joining("\n"));
    // Only the banner's imports: every other name is written in full.
    String source = imports + "\npublic class BannerBuilder implements java.util.function.Supplier<Object> {\n"
        + "  public Object get() {\n" + body + "\n    return client;\n  }\n}\n";
    Path file = Files.writeString(classes.resolve("BannerBuilder.java"), source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int status = javac.run(null, null, errors, "-proc:none", "-classpath", System.getProperty("java.class.path"),
        "-d", classes.toString(), file.toString());
    assertEquals(0, status, "the banner's builder does not compile:\n" + source + "\n" + errors);

    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      @SuppressWarnings("unchecked")
      Supplier<Object> builder = (Supplier<Object>) loader.loadClass("BannerBuilder").getConstructor().newInstance();
      WechatPayClient client = (WechatPayClient) builder.get();
      sandbox.reset();
      printed(() -> UsingTheClient.calls(client));
      assertEquals(List.of("addStockBundle 200", "createDeliveryPlan 200", "updateStockBudget 200"), seen(sandbox));
    }
  }

  private static List<String> seen(Sandbox sandbox) {
    return sandbox.exchanges().stream().map(e -> e.operationId + " " + e.status).collect(Collectors.toList());
  }

  private static JsonNode answer(Sandbox sandbox, String operationId) throws IOException {
    return JSON.readTree(sandbox.exchanges(operationId).get(0).responseBody);
  }

  /** What {@code action} prints on System.out (the handler's thread included), line by line. */
  private static List<String> printed(ThrowingRunnable action) {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      System.setOut(original);
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("\\R"));
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** The ```java blocks under the checked headings, until the next heading of their level or above. */
  static List<String> checkedJavaBlocks(String readme) {
    List<String> blocks = new ArrayList<>();
    int checkedLevel = 0;   // the heading level that opened a checked section; 0: outside
    boolean skipping = false;
    StringBuilder fence = null;   // inside any fenced block (a "# comment" in it is no heading)
    boolean java = false;
    for (String line : readme.split("\n", -1)) {
      if (fence != null) {
        if (line.equals("```")) {
          if (java && checkedLevel > 0 && !skipping) {
            blocks.add(fence.toString().stripTrailing());
          }
          fence = null;
        } else {
          fence.append(line).append('\n');
        }
      } else if (line.startsWith("```")) {
        fence = new StringBuilder();
        java = line.equals("```java");
      } else if (line.startsWith("#")) {
        int level = line.indexOf(' ');
        if (checkedLevel > 0 && level <= checkedLevel) {
          checkedLevel = 0;
        }
        if (checkedLevel == 0 && CHECKED.matcher(line).matches()) {
          checkedLevel = level;
        }
        skipping = checkedLevel > 0 && UNCHECKED.matcher(line).matches();
      }
    }
    return blocks;
  }

  /** The text between each {@code // README:x} line and the next {@code // README:end}, unindented. */
  private static List<String> regions(String source) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?s)// README:(?!end)\\w+\\n(.*?)\\n\\s*// README:end").matcher(source);
    while (m.find()) {
      String block = m.group(1);
      int indent = block.length() - block.stripLeading().length();
      StringBuilder text = new StringBuilder();
      for (String line : block.split("\n")) {
        text.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n');
      }
      out.add(text.toString().stripTrailing());
    }
    return out;
  }
}
