package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.sandbox.Fault;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.io.IOException;
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

/** The module README's tables say what the spec and the code say: error examples per operation, and the faults. */
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
    return Files.readAllLines(ModulePaths.moduleDir().resolve("README.md"), StandardCharsets.UTF_8);
  }
}
