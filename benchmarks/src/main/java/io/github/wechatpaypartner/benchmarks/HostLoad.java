package io.github.wechatpaypartner.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the host did while something was measured: the share of CPU time stolen by the hypervisor
 * ({@code steal} of the {@code cpu} line of /proc/stat) and the load average. Zeros where /proc is
 * absent (not Linux).
 */
public final class HostLoad {
  private static final Path STAT = Path.of("/proc/stat");
  private static final Path LOADAVG = Path.of("/proc/loadavg");

  /** Cumulative jiffies of the cpu line: [all of user..steal, steal]. */
  private final long total;
  private final long steal;
  /** 1-minute load average when sampled. */
  public final double load1;

  private HostLoad(long total, long steal, double load1) {
    this.total = total;
    this.steal = steal;
    this.load1 = load1;
  }

  public static HostLoad sample() {
    long total = 0;
    long steal = 0;
    double load = 0;
    try {
      if (Files.isReadable(STAT)) {
        List<String> lines = Files.readAllLines(STAT);
        String[] f = lines.get(0).trim().split("\\s+");
        // cpu user nice system idle iowait irq softirq steal [guest guest_nice: already in user]
        for (int i = 1; i <= 8 && i < f.length; i++) {
          total += Long.parseLong(f[i]);
        }
        steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
      }
      if (Files.isReadable(LOADAVG)) {
        load = Double.parseDouble(Files.readString(LOADAVG).trim().split("\\s+")[0]);
      }
    } catch (IOException | RuntimeException e) {
      return new HostLoad(0, 0, 0);
    }
    return new HostLoad(total, steal, load);
  }

  /** Percent of all CPU time stolen between {@code before} and this sample. */
  public double stealPercentSince(HostLoad before) {
    long all = total - before.total;
    return all <= 0 ? 0 : 100.0 * (steal - before.steal) / all;
  }
}
