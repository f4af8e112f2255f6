package io.github.wechatpaypartner.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/** The command line of {@link Interleaved} and {@link ColdStart}: a mode, then {@code name=value} pairs. */
final class Options {
  private Options() {
  }

  /** The pairs after {@code args[0]}; exits with the usage line when the mode is not one of {@code modes}. */
  static Map<String, String> parse(String[] args, String usage, String... modes) {
    if (args.length == 0 || !java.util.Arrays.asList(modes).contains(args[0])) {
      System.err.println("usage: " + usage + " (see the class comment)");
      System.exit(2);
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected name=value, got " + args[i]);
      }
      options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    return options;
  }
}
