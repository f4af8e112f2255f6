package io.github.wechatpaypartner.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.sandbox.RecordedExchange;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.junit.SandboxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's "Using the client" is this package's code: every marked region of
 * {@link UsingTheClient} appears in the README verbatim, the builder builds from the files the
 * sandbox writes, and the three calls succeed against the sandbox, which checks each request as
 * the service does and keeps state (the plan is made for the stock the bundle created).
 */
@ExtendWith(SandboxExtension.class)
class ReadmeExampleTest {
  private static final Path EXAMPLE = Paths.get("src/test/java/io/github/wechatpaypartner/examples/UsingTheClient.java");
  private static final Path README = Paths.get("../README.md");

  @Test
  void theReadmeShowsTheExampleVerbatim() throws Exception {
    String readme = Files.readString(README);
    List<String> regions = regions(Files.readString(EXAMPLE));
    assertEquals(3, regions.size(), "imports, build, calls");
    for (String region : regions) {
      assertTrue(readme.contains(region), "README.md lacks this part of UsingTheClient.java:\n" + region);
    }
  }

  @Test
  void theBuilderBuildsFromTheMerchantsFiles(Sandbox sandbox) {
    WechatPayClient client = UsingTheClient.build(sandbox.clientFiles());
    assertTrue(client.toString().contains(sandbox.credentials().merchantSerial()), client.toString());
  }

  @Test
  void theCallsSucceedAgainstTheSandbox(Sandbox sandbox, WechatPayClient client) {
    UsingTheClient.calls(client);
    List<String> seen = sandbox.exchanges().stream().map(e -> e.operationId + " " + e.status)
        .collect(Collectors.toList());
    assertEquals(List.of("addStockBundle 200", "createDeliveryPlan 200", "updateStockBudget 200"), seen);
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
