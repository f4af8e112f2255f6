package io.github.wechatpaypartner.signing.verify;

import java.net.http.HttpHeaders;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/** The first value of a header by name, case-insensitively; {@code null} when absent. */
@FunctionalInterface
public interface HeaderLookup {
  String first(String name);

  static HeaderLookup of(HttpHeaders headers) {
    Objects.requireNonNull(headers, "headers");
    return name -> headers.firstValue(name).orElse(null);
  }

  /** A copy of the map, looked up without regard to case. */
  static HeaderLookup of(Map<String, String> headers) {
    Objects.requireNonNull(headers, "headers");
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> {
      if (k != null) {
        copy.put(k, v);
      }
    });
    return copy::get;
  }

  /**
   * A lookup such as a servlet's {@code request::getHeader}. When it answers {@code null} for the
   * canonical spelling, the lower-case spelling is tried too (HTTP/2 header names are lower case).
   */
  static HeaderLookup of(Function<String, String> lookup) {
    Objects.requireNonNull(lookup, "lookup");
    return name -> {
      String value = lookup.apply(name);
      return value != null ? value : lookup.apply(name.toLowerCase(Locale.ROOT));
    };
  }
}
