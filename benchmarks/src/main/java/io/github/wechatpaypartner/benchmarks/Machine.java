package io.github.wechatpaypartner.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/** The lines every result file starts with: when, on what, under which load. */
public final class Machine {
  private Machine() {
  }

  public static String describe() {
    return String.format(Locale.ROOT, "- date: %s%n- cpus: %d, %s%n- java: %s %s (%s)%n- load average at start: %.2f%n",
        Instant.now(), Runtime.getRuntime().availableProcessors(), cpuModel(),
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), System.getProperty("os.arch"),
        HostLoad.sample().load1);
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown cpu");
    } catch (IOException | RuntimeException e) {
      return "unknown cpu";
    }
  }
}
