package io.github.wechatpaypartner.fleet.redis;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.SpecCatalog;
import io.github.wechatpaypartner.client.runtime.IncomingResponse;
import io.github.wechatpaypartner.client.runtime.Operation;
import io.github.wechatpaypartner.client.runtime.OutgoingRequest;
import io.github.wechatpaypartner.spec.SpecDocument;
import io.github.wechatpaypartner.testkit.FakeWechatPay;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WeChat Pay as far as rate limits go, on testkit's in-process fake (which checks every request's
 * signature as the service does): counts arrivals per operation and answers 429
 * RATELIMIT_EXCEEDED (signed) when an operation has had more than its spec limit plus
 * {@code allowance} requests in the last second; otherwise the spec's 200 example, signed.
 */
final class RateLimitedWechatPay implements FakeWechatPay.Step {
  static final GeneratedCredentials KEYS = FakeWechatPay.KEYS;
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final FakeWechatPay fake = new FakeWechatPay().otherwise(this);
  private final int allowance;
  private final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();
  private final Map<String, String> answers = new ConcurrentHashMap<>();
  private final AtomicInteger tooMany = new AtomicInteger();

  /** @param allowance requests per second above each operation's spec limit that are still answered 200 */
  RateLimitedWechatPay(int allowance) {
    this.allowance = allowance;
    SpecDocument spec = SpecDocument.load();
    for (Operation op : SpecCatalog.OPERATIONS.values()) {
      answers.put(op.id(), spec.operation(op.id()).responses().get(200).examples.values().iterator().next().toString());
      arrivals.put(op.id(), Collections.synchronizedList(new ArrayList<>()));
    }
  }

  /** A client of the fake's merchant, trusting the fake's key. */
  static WechatPayClient.Builder merchantClient() {
    return WechatPayClient.builder()
        .mchid(KEYS.mchid())
        .merchantSerial(KEYS.merchantSerial())
        .privateKey(KEYS.merchantKeys().getPrivate())
        .wechatpayPublicKey(KEYS.wechatpayPublicKeyId(), KEYS.wechatpayKeys().getPublic());
  }

  /** {@link #merchantClient()} talking to this service, one attempt per call. */
  WechatPayClient.Builder clientBuilder() {
    return merchantClient().transport(fake).noRetries();
  }

  /** The arrival times (nanoTime) of an operation's requests, in order. */
  List<Long> arrivals(String operationId) {
    List<Long> times = arrivals.get(operationId);
    synchronized (times) {
      return List.copyOf(times);
    }
  }

  /** The most requests of an operation that arrived within any one second. */
  int maxInAnySecond(String operationId) {
    List<Long> times = arrivals(operationId);
    int max = 0;
    for (int first = 0, last = 0; last < times.size(); last++) {
      while (times.get(last) - times.get(first) >= SECOND) {
        first++;
      }
      max = Math.max(max, last - first + 1);
    }
    return max;
  }

  /** How many requests were answered 429. */
  int tooManyRequests() {
    return tooMany.get();
  }

  /** How many requests failed the signature check (none should). */
  int refusedSignatures() {
    return fake.refusedSignatures();
  }

  void reset() {
    arrivals.values().forEach(List::clear);
    tooMany.set(0);
  }

  @Override
  public IncomingResponse answer(FakeWechatPay service, OutgoingRequest request) throws java.io.IOException {
    Operation op = SpecCatalog.operation(request.operationId());
    if (overLimit(op, System.nanoTime())) {
      tooMany.incrementAndGet();
      return FakeWechatPay.rateLimited("1").answer(service, request);
    }
    return FakeWechatPay.ok(answers.get(op.id())).answer(service, request);
  }

  /** Records the arrival; true when the last second then holds more than the limit plus the allowance. */
  private boolean overLimit(Operation op, long now) {
    List<Long> times = arrivals.get(op.id());
    synchronized (times) {
      int index = times.size();
      while (index > 0 && times.get(index - 1) > now) {
        index--;  // calling threads may record slightly out of order
      }
      times.add(index, now);
      if (op.rateLimitPerSecond().isEmpty()) {
        return false;
      }
      int inLastSecond = 0;
      for (int i = index; i >= 0 && now - times.get(i) < SECOND; i--) {
        inLastSecond++;
      }
      return inLastSecond > op.rateLimitPerSecond().getAsInt() + allowance;
    }
  }
}
