package io.github.wechatpaypartner.conformance.support;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A raw query string as name to value, decoded as the service decodes it ({@code +} is a plus sign). */
public final class Queries {
  private Queries() {
  }

  /** Name to first value, in order; empty for a null or empty query. */
  public static Map<String, String> decode(String rawQuery) {
    Map<String, String> values = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return values;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      values.putIfAbsent(part(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : part(pair.substring(eq + 1)));
    }
    return values;
  }

  private static String part(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
