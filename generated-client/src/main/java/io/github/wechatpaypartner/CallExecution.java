package io.github.wechatpaypartner;

import io.github.wechatpaypartner.client.runtime.CallContext;
import io.github.wechatpaypartner.client.runtime.IncomingResponse;
import io.github.wechatpaypartner.client.runtime.Interceptor;
import io.github.wechatpaypartner.client.runtime.Operation;
import io.github.wechatpaypartner.client.runtime.OutgoingRequest;
import io.github.wechatpaypartner.exception.Attempt;
import io.github.wechatpaypartner.exception.GatewayException;
import io.github.wechatpaypartner.exception.ProbablyProcessedException;
import io.github.wechatpaypartner.exception.ResponseVerificationException;
import io.github.wechatpaypartner.exception.ServiceException;
import io.github.wechatpaypartner.exception.TransportException;
import io.github.wechatpaypartner.exception.WechatPayException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The attempts of one call: for each, a rate-limit permit, then the interceptor chain (the user's
 * interceptors, signing, the answer check, the transport); between them the retry policy decides.
 * One instance per call, used by one thread; it holds every piece of per-call state, so nothing
 * about a call is kept anywhere else.
 *
 * <ul>
 *   <li>A service error ({@link ServiceException}) or an unsigned gateway error
 *       ({@link GatewayException}) whose status the policy lists (429, 500 by default) is retried
 *       after its {@code Retry-After} (seconds or HTTP-date) or else after a jittered backoff.
 *   <li>An unreachable host (connection refused, connect timeout, unknown host) moves the next
 *       attempt to the next host of the list, at once when that host was not tried yet.
 *   <li>A request timeout is retried on the same host after a backoff (the request may have
 *       arrived; the same body, hence the same {@code out_request_no}, is resent).
 *   <li>Any other I/O failure, a verification failure and a failure of a user interceptor end
 *       the call at once.
 *   <li>{@code ALREADY_EXISTS} after an earlier attempt that got no trustworthy answer (5xx or
 *       timeout) ends the call with {@link ProbablyProcessedException}.
 * </ul>
 *
 * <p>Every exception that ends a call carries the call's attempts.
 */
final class CallExecution {
  private static final System.Logger LOG = System.getLogger(CallExecution.class.getName());

  private final ClientRuntime runtime;
  private final Operation operation;
  private final String pathAndQuery;
  private final byte[] body;
  private final long startNanos;
  private final List<Attempt> attempts = new ArrayList<>();
  private final List<IOException> ioFailures = new ArrayList<>();
  private final Set<URI> triedHosts = new HashSet<>();
  private final Map<String, Object> attributes = new HashMap<>();
  private int hostIndex;
  private Duration waited = Duration.ZERO;
  private Attempt.Wait waitReason = Attempt.Wait.NONE;
  /** The {@code Retry-After} of the latest answer the transport read. */
  private Optional<Duration> lastRetryAfter = Optional.empty();

  CallExecution(ClientRuntime runtime, Operation operation, String pathAndQuery, byte[] body) {
    this.runtime = runtime;
    this.operation = operation;
    this.pathAndQuery = pathAndQuery;
    this.body = body;
    this.startNanos = runtime.time().nanoTime();
  }

  /** Runs attempts until one gives a verified 2xx answer, or throws why the call ended. */
  IncomingResponse run() {
    while (true) {
      URI host = runtime.hosts().get(hostIndex);
      triedHosts.add(host);
      Duration wait;
      try {
        acquirePermit();
        IncomingResponse answer = attempt(host);
        if (attempts.size() > 1) {
          debug(() -> describe() + ": " + attempts.size() + " attempts, answered HTTP " + answer.statusCode());
        }
        return answer;
      } catch (ServiceException | GatewayException e) {
        wait = afterErrorAnswer(e);
      } catch (IOException e) {
        wait = afterIoFailure(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw end(new TransportException(describe() + ": interrupted; no further attempt", e, operation.id()));
      } catch (WechatPayException e) {
        throw end(e); // verification failure, rate limit refusal: never retried
      } catch (RuntimeException e) {
        throw end(new WechatPayException(describe() + ": an interceptor failed: " + e, e, operation.id()));
      }
      sleep(wait);
    }
  }

  private void acquirePermit() throws InterruptedException {
    int limit = operation.rateLimitPerSecond().orElse(0);
    if (limit > 0 && runtime.rateLimiter() != null) {
      runtime.rateLimiter().acquire(runtime.mchid(), operation.id(), limit);
    }
  }

  private IncomingResponse attempt(URI host) throws IOException, InterruptedException {
    OutgoingRequest request = new OutgoingRequest(operation.id(), operation.method(),
        URI.create(host + pathAndQuery), runtime.baseHeaders(), body);
    CallContext context = new CallContext(operation, attempts.size() + 1, host, attempts, attributes);
    long sentAt = runtime.time().nanoTime();
    try {
      IncomingResponse response = new Chain(0, request, context).proceed(request);
      record(Attempt.Outcome.ANSWERED, response.statusCode(), response.requestId(), null, sentAt, host);
      return response;
    } catch (ServiceException e) {
      recordErrorAnswer(e.statusCode(), e.requestId(), null, sentAt, host);
      throw e;
    } catch (GatewayException e) {
      recordErrorAnswer(e.statusCode(), null, "unsigned answer", sentAt, host);
      throw e;
    } catch (ResponseVerificationException e) {
      record(Attempt.Outcome.ANSWERED, e.statusCode(), e.requestId(), "failed verification [" + e.check() + "]", sentAt, host);
      throw e;
    } catch (IOException e) {
      Attempt.Outcome outcome = classify(e);
      record(outcome, 0, null, e.toString(), sentAt, host);
      ioFailures.add(e);
      throw e;
    }
  }

  /** An error answer's attempt: retryable when the policy lists its status. */
  private void recordErrorAnswer(int status, String requestId, String error, long sentAt, URI host) {
    boolean retryable = runtime.retryPolicy().retryableStatuses().contains(status);
    record(retryable ? Attempt.Outcome.RETRYABLE_STATUS : Attempt.Outcome.ANSWERED, status,
        requestId, error, sentAt, host);
  }

  /** The wait before the next attempt after a non-2xx answer, or throws when the call ends. */
  private Duration afterErrorAnswer(WechatPayException e) {
    if (e instanceof ServiceException && "ALREADY_EXISTS".equals(((ServiceException) e).errorCode())
        && earlierAttemptMayHaveBeenProcessed()) {
      throw end(new ProbablyProcessedException((ServiceException) e));
    }
    Attempt last = attempts.get(attempts.size() - 1);
    if (last.outcome() != Attempt.Outcome.RETRYABLE_STATUS) {
      throw end(e);
    }
    int status = last.statusCode().getAsInt();
    Optional<Duration> retryAfter = lastRetryAfter;
    Duration wait = retryAfter.orElseGet(this::backoff);
    Attempt.Wait reason = retryAfter.isPresent() ? Attempt.Wait.RETRY_AFTER : Attempt.Wait.BACKOFF;
    String stop = stopReason(wait, reason);
    if (stop != null) {
      throw end(e, "HTTP " + status + " and " + stop);
    }
    return next(wait, reason);
  }

  /** The wait before the next attempt after an I/O failure, or throws when the call ends. */
  private Duration afterIoFailure(IOException e) {
    Attempt.Outcome outcome = attempts.get(attempts.size() - 1).outcome();
    if (outcome == Attempt.Outcome.FAILED) {
      throw end(transportFailure(e, "not retried: " + e.getClass().getSimpleName()
          + " is neither a connection failure nor a timeout, and the request may have been processed"));
    }
    Duration wait;
    Attempt.Wait reason;
    List<URI> hosts = runtime.hosts();
    if (outcome == Attempt.Outcome.UNREACHABLE && hosts.size() > 1) {
      hostIndex = (hostIndex + 1) % hosts.size();
      boolean fresh = !triedHosts.contains(hosts.get(hostIndex));
      wait = fresh ? Duration.ZERO : backoff();
      reason = fresh ? Attempt.Wait.FAILOVER : Attempt.Wait.BACKOFF;
    } else {
      wait = backoff();
      reason = Attempt.Wait.BACKOFF;
    }
    String stop = stopReason(wait, reason);
    if (stop != null) {
      throw end(transportFailure(e, stop));
    }
    return next(wait, reason);
  }

  private boolean earlierAttemptMayHaveBeenProcessed() {
    for (int i = 0; i < attempts.size() - 1; i++) {
      Attempt a = attempts.get(i);
      if (a.outcome() == Attempt.Outcome.TIMED_OUT
          || a.statusCode().isPresent() && a.statusCode().getAsInt() >= 500) {
        return true;
      }
    }
    return false;
  }

  private TransportException transportFailure(IOException last, String why) {
    TransportException e = new TransportException(describe() + ": no answer, " + why + " (last: "
        + last + ")", last, operation.id());
    for (IOException earlier : ioFailures) {
      if (earlier != last) {
        e.addSuppressed(earlier);
      }
    }
    return e;
  }

  private void record(Attempt.Outcome outcome, int status, String requestId, String error,
      long sentAt, URI host) {
    Duration latency = Duration.ofNanos(runtime.time().nanoTime() - sentAt);
    Attempt a = new Attempt(attempts.size() + 1, host.getRawAuthority(), waited, waitReason,
        outcome, status, requestId, error, latency);
    attempts.add(a);
    debug(() -> describe() + " " + a);
  }

  private Duration backoff() {
    Duration ceiling = runtime.retryPolicy().backoffCeiling(attempts.size());
    Duration picked = runtime.jitter().pick(ceiling);
    if (picked == null || picked.isNegative()) {
      return Duration.ZERO;
    }
    return picked.compareTo(ceiling) > 0 ? ceiling : picked;
  }

  /** Null when another attempt may be made after {@code wait}, else why not. */
  private String stopReason(Duration wait, Attempt.Wait reason) {
    int max = runtime.retryPolicy().maxAttempts();
    if (attempts.size() >= max) {
      return "maxAttempts (" + max + ") reached";
    }
    Duration budget = runtime.retryPolicy().maxTotalTime();
    Duration elapsed = Duration.ofNanos(runtime.time().nanoTime() - startNanos);
    if (wait.compareTo(budget.minus(elapsed)) > 0) {
      String what = reason == Attempt.Wait.RETRY_AFTER ? "Retry-After" : "the backoff";
      return "waiting " + millis(wait) + " (" + what + ") would pass maxTotalTime ("
          + budget.toMillis() + " ms; " + elapsed.toMillis() + " ms elapsed)";
    }
    return null;
  }

  private Duration next(Duration wait, Attempt.Wait reason) {
    waited = wait;
    waitReason = reason;
    debug(() -> describe() + " retrying on " + runtime.hosts().get(hostIndex).getRawAuthority()
        + " in " + wait.toMillis() + " ms (" + reason.name().toLowerCase(Locale.ROOT) + ")");
    return wait;
  }

  private void sleep(Duration wait) {
    if (wait.isZero()) {
      return;
    }
    try {
      runtime.time().sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw end(new TransportException(describe() + ": interrupted while waiting "
          + wait.toMillis() + " ms before attempt " + (attempts.size() + 1), e, operation.id()));
    }
  }

  private WechatPayException end(WechatPayException e) {
    return e.withAttempts(attempts);
  }

  private WechatPayException end(WechatPayException e, String why) {
    debug(() -> describe() + ": stopped, " + why);
    return e.withAttempts(attempts);
  }

  private String describe() {
    return operation.id() + " " + operation.method() + " " + operation.path();
  }

  /** How an I/O failure is treated. */
  static Attempt.Outcome classify(IOException e) {
    // HttpConnectTimeoutException extends HttpTimeoutException: test it first.
    if (e instanceof HttpConnectTimeoutException || e instanceof ConnectException
        || e instanceof UnknownHostException || e instanceof NoRouteToHostException) {
      return Attempt.Outcome.UNREACHABLE;
    }
    if (e instanceof HttpTimeoutException) {
      return Attempt.Outcome.TIMED_OUT;
    }
    return Attempt.Outcome.FAILED;
  }

  /**
   * The wait a {@code Retry-After} header asks for: delay-seconds or an HTTP-date (RFC 1123).
   * Empty when absent or unreadable (the backoff applies then); a date in the past gives zero.
   */
  static Optional<Duration> retryAfter(String header, Instant now) {
    if (header == null) {
      return Optional.empty();
    }
    String value = header.trim();
    if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
      } catch (NumberFormatException tooLong) {
        return Optional.of(Duration.ofSeconds(Long.MAX_VALUE)); // longer than any budget
      }
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException unreadable) {
      debug(() -> "ignoring unreadable Retry-After header: " + value);
      return Optional.empty();
    }
  }

  private static String millis(Duration d) {
    // A Retry-After of Long.MAX_VALUE seconds does not fit in toMillis().
    return d.getSeconds() > 1_000_000_000L ? d.getSeconds() + " s" : d.toMillis() + " ms";
  }

  private static void debug(Supplier<String> message) {
    LOG.log(Level.DEBUG, message);
  }

  /** The interceptor chain of one attempt; the transport after the last interceptor. */
  private final class Chain implements Interceptor.Chain {
    private final int index;
    private final OutgoingRequest request;
    private final CallContext context;

    Chain(int index, OutgoingRequest request, CallContext context) {
      this.index = index;
      this.request = request;
      this.context = context;
    }

    @Override
    public OutgoingRequest request() {
      return request;
    }

    @Override
    public CallContext context() {
      return context;
    }

    @Override
    public IncomingResponse proceed(OutgoingRequest next) throws IOException, InterruptedException {
      List<Interceptor> interceptors = runtime.interceptors();
      if (index < interceptors.size()) {
        return interceptors.get(index).intercept(new Chain(index + 1, next, context));
      }
      IncomingResponse response = runtime.transport().send(next, runtime.timeouts().request());
      String retryAfterHeader = response.header("Retry-After");
      lastRetryAfter = retryAfterHeader == null ? Optional.empty()
          : retryAfter(retryAfterHeader, runtime.time().now());
      return response;
    }
  }
}
