package io.github.wechatpaypartner.conformance.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps what Prism and the sandbox answered to each probe in target/prism-verdicts.tsv (operation,
 * case, Prism status, the sandbox's verdict, Prism violations), so a reviewer sees both verdicts
 * side by side without rerunning anything.
 */
public final class Verdicts {
  private static final Path FILE = ModulePaths.targetFile("prism-verdicts.tsv");
  private static boolean started;

  private Verdicts() {
  }

  public static synchronized void record(String operationId, String probe, int prismStatus,
      String sandboxVerdict, String violations) {
    try {
      if (!started) {
        Files.writeString(FILE, "operation\tprobe\tprism_status\tsandbox\tsl_violations\n",
            StandardCharsets.UTF_8);
        started = true;
      }
      String line = String.join("\t", operationId, probe.replace('\t', ' '), Integer.toString(prismStatus),
          sandboxVerdict, violations == null ? "" : violations) + "\n";
      Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
