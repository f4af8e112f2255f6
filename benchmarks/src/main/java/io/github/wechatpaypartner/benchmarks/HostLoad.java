package io.github.wechatpaypartner.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the host did while something was measured: the share of CPU time stolen by the hypervisor
 * ({@code steal} of the {@code cpu} line of /proc/stat), the share used by other processes of this
 * machine (busy time minus this JVM's own, from /proc/self/stat) and the load average. Zeros where
 * /proc is absent (not Linux).
 */
public final class HostLoad {
  private static final Path STAT = Path.of("/proc/stat");
  private static final Path SELF = Path.of("/proc/self/stat");
  private static final Path LOADAVG = Path.of("/proc/loadavg");

  /** Cumulative jiffies of the cpu line (user..steal), its busy part, its steal, and this process's. */
  private final long total;
  private final long busy;
  private final long steal;
  private final long own;
  /** 1-minute load average when sampled. */
  public final double load1;

  private HostLoad(long total, long busy, long steal, long own, double load1) {
    this.total = total;
    this.busy = busy;
    this.steal = steal;
    this.own = own;
    this.load1 = load1;
  }

  public static HostLoad sample() {
    try {
      if (!Files.isReadable(STAT)) {
        return new HostLoad(0, 0, 0, 0, 0);
      }
      // cpu user nice system idle iowait irq softirq steal [guest guest_nice: already in user]
      String[] f = Files.readAllLines(STAT).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i <= 8 && i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
      long busy = total - Long.parseLong(f[4]) - Long.parseLong(f[5]) - steal;
      // /proc/self/stat: fields after the ")" of the command name; utime and stime are the 12th and 13th.
      String self = Files.readString(SELF);
      String[] s = self.substring(self.lastIndexOf(')') + 2).split(" ");
      long own = Long.parseLong(s[11]) + Long.parseLong(s[12]);
      List<String> load = List.of(Files.readString(LOADAVG).trim().split("\\s+"));
      return new HostLoad(total, busy, steal, own, Double.parseDouble(load.get(0)));
    } catch (IOException | RuntimeException e) {
      return new HostLoad(0, 0, 0, 0, 0);
    }
  }

  /** Percent of all CPU time stolen between {@code before} and this sample. */
  public double stealPercentSince(HostLoad before) {
    long all = total - before.total;
    return all <= 0 ? 0 : 100.0 * (steal - before.steal) / all;
  }

  /** Percent of all CPU time used by other processes between {@code before} and this sample. */
  public double othersPercentSince(HostLoad before) {
    long all = total - before.total;
    return all <= 0 ? 0 : Math.max(0, 100.0 * ((busy - before.busy) - (own - before.own)) / all);
  }
}
