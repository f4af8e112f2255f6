package io.github.wechatpaypartner.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Median, quartiles and range of a few samples (per-round figures or ratios). */
public final class Spread {
  public final int n;
  public final double min;
  public final double q1;
  public final double median;
  public final double q3;
  public final double max;

  private Spread(double[] sorted) {
    n = sorted.length;
    min = sorted[0];
    q1 = quantile(sorted, 0.25);
    median = quantile(sorted, 0.5);
    q3 = quantile(sorted, 0.75);
    max = sorted[n - 1];
  }

  public static Spread of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    return new Spread(sorted);
  }

  /** Linear interpolation between closest ranks. */
  private static double quantile(double[] sorted, double p) {
    double index = p * (sorted.length - 1);
    int lower = (int) Math.floor(index);
    int upper = (int) Math.ceil(index);
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (index - lower);
  }

  /** {@code median (IQR q1–q3, range min–max)} with the given format per number. */
  public String format(String number) {
    return String.format(Locale.ROOT, number + " (IQR " + number + "–" + number + ", range " + number + "–" + number + ")",
        median, q1, q3, min, max);
  }
}
