package io.github.wechatpaypartner.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.testing.FakeWechatPay;
import io.github.wechatpaypartner.testing.SpecExamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Using the client" is this package's code: every marked region of
 * {@link UsingTheClient} appears in the README verbatim, the builder builds from real files, and
 * the calls run (against the in-process fake service) and pass the client's own validation.
 */
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
  void theBuilderBuildsFromTheMerchantsFiles(@TempDir Path dir) {
    WechatPayClient client = UsingTheClient.build(FakeWechatPay.KEYS.writeClientFiles(dir));
    assertTrue(client.toString().contains(FakeWechatPay.KEYS.merchantSerial()), client.toString());
  }

  @Test
  void theCallsRunAndPassValidation() {
    FakeWechatPay service = new FakeWechatPay().then(
        FakeWechatPay.ok(SpecExamples.answer("createDeliveryPlan", 200)),
        FakeWechatPay.ok(SpecExamples.answer("addStockBundle", 200)),
        FakeWechatPay.error(400, "INVALID_REQUEST"));
    UsingTheClient.calls(service.clientBuilder().build());
    assertEquals(3, service.requests().size(), "the three calls were sent");
    assertFalse(new String(service.requests().get(1).body()).contains("null"));
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
