package io.github.wechatpaypartner.client.runtime;

import io.github.wechatpaypartner.exception.Attempt;
import io.github.wechatpaypartner.exception.WechatPayException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;

/** Tells {@link CallListener}s, so that a failing listener never changes a call's result. */
final class Listeners {
  private static final System.Logger LOG = System.getLogger(CallListener.class.getName());

  private Listeners() {
  }

  static void attemptEnded(CallListener listener, Operation op, Attempt attempt) {
    try {
      listener.attemptEnded(op, attempt);
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, () -> listener + " failed on " + op.id() + " " + attempt, e);
    }
  }

  static void callEnded(CallListener listener, Operation op, List<Attempt> attempts, Duration took,
      WechatPayException failure) {
    try {
      listener.callEnded(op, List.copyOf(attempts), took, failure);
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, () -> listener + " failed on the end of " + op.id(), e);
    }
  }
}
