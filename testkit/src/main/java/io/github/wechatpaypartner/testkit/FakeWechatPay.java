package io.github.wechatpaypartner.testkit;

import io.github.wechatpaypartner.client.runtime.AnswerTooLargeException;
import io.github.wechatpaypartner.client.runtime.IncomingResponse;
import io.github.wechatpaypartner.client.runtime.OutgoingRequest;
import io.github.wechatpaypartner.client.runtime.Transport;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import io.github.wechatpaypartner.testkit.RequestAuthentication;
import io.github.wechatpaypartner.testkit.ServiceSigner;
import io.github.wechatpaypartner.signing.sign.RequestSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * WeChat Pay in-process, as a {@link Transport}: the client's unit tests talk to it without a
 * socket. Each request's {@code Authorization} is checked as the service checks it (a bad one is
 * answered 401 SIGN_ERROR); the answer is the next scripted {@link Step}, by default a signed 200
 * with {@code {}}. Every request is recorded. Real sockets (timeouts, resets, refused
 * connections) are covered by the conformance tests against the sandbox.
 *
 * <p>A client of the fake's merchant: {@code WechatPayClient.builder().mchid(KEYS.mchid())
 * .merchantSerial(KEYS.merchantSerial()).privateKey(KEYS.merchantKeys().getPrivate())
 * .wechatpayPublicKey(KEYS.wechatpayPublicKeyId(), KEYS.wechatpayKeys().getPublic())
 * .transport(fake)}.
 */
public final class FakeWechatPay implements Transport {
  /** One credentials set for the whole test run (RSA generation is slow). */
  public static final GeneratedCredentials KEYS = GeneratedCredentials.generate();

  private final ServiceSigner signer = new ServiceSigner(KEYS.wechatpayKeys().getPrivate(),
      KEYS.wechatpayPublicKeyId(), Clock.systemUTC());
  private final ServiceSigner stranger = new ServiceSigner(GeneratedCredentials.rsa2048().getPrivate(),
      KEYS.wechatpayPublicKeyId(), Clock.systemUTC());
  private final RequestAuthentication authentication = new RequestAuthentication(KEYS.mchid(),
      KEYS.merchantSerial(), KEYS.merchantKeys().getPublic(), Clock.systemUTC());
  private final Deque<Step> script = new ArrayDeque<>();
  private final List<OutgoingRequest> requests = new ArrayList<>();
  private final List<Duration> timeouts = new ArrayList<>();
  private int requestIds;
  private int refusedSignatures;
  private Step otherwise = ok("{}");

  /** What the fake does with one request. */
  @FunctionalInterface
  public interface Step {
    IncomingResponse answer(FakeWechatPay service, OutgoingRequest request) throws IOException;
  }

  /**
   * The step for every request once the queued ones are used up (default: a signed 200
   * {@code {}}): e.g. a service that answers each operation's example and counts arrivals.
   */
  public synchronized FakeWechatPay otherwise(Step step) {
    this.otherwise = java.util.Objects.requireNonNull(step, "step");
    return this;
  }

  /** How many requests failed the fake's signature check (answered 401 SIGN_ERROR). */
  public synchronized int refusedSignatures() {
    return refusedSignatures;
  }

  /** Queues steps, answered in order; once they are used up, {@link #otherwise(Step)} answers. */
  public synchronized FakeWechatPay then(Step... steps) {
    script.addAll(List.of(steps));
    return this;
  }

  public synchronized List<OutgoingRequest> requests() {
    return List.copyOf(requests);
  }

  /** The request timeout the client gave each request. */
  public synchronized List<Duration> timeouts() {
    return List.copyOf(timeouts);
  }

  @Override
  public IncomingResponse send(OutgoingRequest request, Duration timeout, long maxAnswerBytes)
      throws IOException {
    Step step;
    synchronized (this) {
      requests.add(request);
      timeouts.add(timeout);
      step = script.isEmpty() ? otherwise : script.poll();
    }
    String url = RequestSigner.canonicalUrl(request.uri());
    RequestAuthentication.Result auth = authentication.check(request.method(), url,
        request.header("Authorization"), request.body());
    if (!auth.accepted()) {
      synchronized (this) {
        refusedSignatures++;
      }
      return signed(request, 401, error("SIGN_ERROR", auth.refusal().orElseThrow()));
    }
    IncomingResponse answer = step.answer(this, request);
    if (answer.body().length > maxAnswerBytes) { // as JdkHttpTransport does
      if (answer.statusCode() / 100 == 2) {
        throw new AnswerTooLargeException(answer.statusCode(), maxAnswerBytes);
      }
      return new IncomingResponse(request, answer.statusCode(), answer.headers(),
          java.util.Arrays.copyOf(answer.body(), (int) maxAnswerBytes));
    }
    return answer;
  }

  /** A signed answer with this status and JSON body. */
  public static Step answer(int status, String json) {
    return (service, request) -> service.signed(request, status, json);
  }

  public static Step ok(String json) {
    return answer(200, json);
  }

  /** A signed WeChat Pay error: {@code {"code":..., "message":...}}. */
  public static Step error(int status, String code) {
    return answer(status, error(code, code + " from the fake"));
  }

  /** A signed 429 with {@code Retry-After: seconds}. */
  public static Step rateLimited(String retryAfter) {
    return (service, request) -> service.withHeader(
        service.signed(request, 429, error("RATELIMIT_EXCEEDED", "too many requests")), "Retry-After", retryAfter);
  }

  /** An answer without any Wechatpay-* header, as a proxy or load balancer sends. */
  public static Step unsigned(int status, String body) {
    return (service, request) -> service.response(request, status, Map.of(), body);
  }

  /** A 200 whose signature was made with another key. */
  public static Step badlySigned(String json) {
    return (service, request) -> {
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      return service.response(request, 200, service.stranger.headers(body), json);
    };
  }

  /** A signed answer whose headers are then changed (probe signature, unknown serial, old timestamp). */
  public static Step tampered(int status, String json, Function<Map<String, String>, Map<String, String>> change) {
    return (service, request) -> {
      Map<String, String> headers = new LinkedHashMap<>(service.signer.headers(json.getBytes(StandardCharsets.UTF_8)));
      return service.response(request, status, change.apply(headers), json);
    };
  }

  /** A signed answer dated {@code age} ago. */
  public static Step stale(Duration age, String json) {
    return (service, request) -> {
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      long then = Clock.systemUTC().instant().minus(age).getEpochSecond();
      return service.response(request, 200, service.signer.headers(then, "STALE0NONCE", body), json);
    };
  }

  /** The transport fails with {@code failure} (connection refused, timeout, reset...). */
  public static Step fail(IOException failure) {
    return (service, request) -> {
      throw failure;
    };
  }

  public static String error(String code, String message) {
    return "{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}";
  }

  IncomingResponse signed(OutgoingRequest request, int status, String json) {
    return response(request, status, signer.headers(json.getBytes(StandardCharsets.UTF_8)), json);
  }

  private IncomingResponse response(OutgoingRequest request, int status, Map<String, String> headers, String body) {
    Map<String, List<String>> all = new LinkedHashMap<>();
    headers.forEach((k, v) -> all.put(k, List.of(v)));
    synchronized (this) {
      all.put("Request-ID", List.of("08FAKE" + (++requestIds) + "-268435456"));
    }
    return new IncomingResponse(request, status, HttpHeaders.of(all, (k, v) -> true),
        body.getBytes(StandardCharsets.UTF_8));
  }

  private IncomingResponse withHeader(IncomingResponse r, String name, String value) {
    Map<String, List<String>> all = new LinkedHashMap<>(r.headers().map());
    all.put(name, List.of(value));
    return new IncomingResponse(r.request(), r.statusCode(), HttpHeaders.of(all, (k, v) -> true), r.body());
  }
}
