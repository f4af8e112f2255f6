package io.github.wechatpaypartner.conformance.support;

/** Exception chains. */
public final class Causes {
  private Causes() {
  }

  /** True when {@code e} or one of its causes is a {@code type}. */
  public static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
