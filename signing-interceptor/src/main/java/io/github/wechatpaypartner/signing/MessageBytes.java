package io.github.wechatpaypartner.signing;

import java.nio.charset.StandardCharsets;

/**
 * Builds the head of a signature message: each part followed by {@code \n}, as UTF-8, in one
 * array. The body is never copied into it: callers feed head, body and the final {@code \n} to
 * {@link java.security.Signature#update} one after the other.
 */
public final class MessageBytes {
  /** The line end after the body. Never modified. */
  private static final byte NEWLINE = '\n';

  private MessageBytes() {}

  /** {@code part1\npart2\n...} as UTF-8; ASCII (the usual case) is written without an encoder. */
  public static byte[] lines(String... parts) {
    int length = 0;
    boolean ascii = true;
    for (String part : parts) {
      int n = part.length();
      length += n + 1;
      for (int i = 0; ascii && i < n; i++) {
        ascii = part.charAt(i) < 0x80;
      }
    }
    if (!ascii) {
      StringBuilder text = new StringBuilder(length);
      for (String part : parts) {
        text.append(part).append('\n');
      }
      return text.toString().getBytes(StandardCharsets.UTF_8);
    }
    byte[] out = new byte[length];
    int at = 0;
    for (String part : parts) {
      for (int i = 0, n = part.length(); i < n; i++) {
        out[at++] = (byte) part.charAt(i);
      }
      out[at++] = NEWLINE;
    }
    return out;
  }

  /** The line end that follows the body. */
  public static byte newline() {
    return NEWLINE;
  }
}
