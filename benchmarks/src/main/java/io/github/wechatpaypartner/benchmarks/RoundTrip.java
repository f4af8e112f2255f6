package io.github.wechatpaypartner.benchmarks;

/** One client call of one operation against the loopback server; throws unless verified. */
@FunctionalInterface
public interface RoundTrip {
  Object call() throws Exception;
}
