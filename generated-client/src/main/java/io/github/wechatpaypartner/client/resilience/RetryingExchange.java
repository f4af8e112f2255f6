package io.github.wechatpaypartner.client.resilience;

import io.github.wechatpaypartner.client.hook.Exchange;
import io.github.wechatpaypartner.client.hook.IncomingResponse;
import io.github.wechatpaypartner.client.hook.OutgoingRequest;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Retries and fails over around another {@link Exchange}; see {@link RetryPolicy} for the knobs.
 *
 * <ul>
 *   <li>An answer whose status is in {@link RetryPolicy#retryableStatuses()} (429, 500) is
 *       retried after its {@code Retry-After} (seconds or HTTP-date) or, without one, after a
 *       backoff picked by {@link Jitter} below {@code min(maxDelay, baseDelay * 2^(n-1))}, n being
 *       the attempts made. When no retry is left the last answer is <em>returned</em>, so the
 *       generated API raises its typed WeChat error; {@link AttemptHistory#of(IncomingResponse)}
 *       gives the attempts. Every other answer is returned at once.
 *   <li>Host unreachable (connection refused, {@link HttpConnectTimeoutException}, unknown host):
 *       the next attempt goes to the next host of {@link RetryPolicy#hosts()} after the current
 *       one (wrapping round), at once if that host was not tried yet in this call, else after a
 *       backoff. Only when the request's own origin is in the list: a request aimed at another
 *       host (a sandbox, a mock) is retried there and never sent to production hosts. Not
 *       sticky: every call starts where the generated API aimed it.
 *   <li>Request timeout ({@link HttpTimeoutException} other than a connect timeout): the request
 *       may have arrived, so it is retried on the same host after a backoff.
 *   <li>Any other {@link IOException} is not retried. Whenever the call ends on an I/O failure it
 *       throws {@link RetriesExhaustedException} listing every attempt.
 *   <li>A {@link RuntimeException} (the response hook rejecting an answer that fails
 *       verification, the request hook failing to sign) is rethrown at once, never retried.
 *       {@link InterruptedException} stops the call; the thread's interrupt flag is set again
 *       before it is rethrown so a caller that wraps it does not lose it.
 * </ul>
 *
 * <p>Each attempt resends the same {@link OutgoingRequest} body bytes, hence the same
 * {@code out_request_no}, which makes the call idempotent at the service; the wrapped exchange
 * calls the request hook again, so nonce, timestamp and signature are new. Put a
 * {@link RateLimitingExchange} <em>inside</em> this one so that every attempt takes a permit.
 *
 * <p>{@link #executeAsync} follows the same rules; its waits use {@link TimeSource#after} (a
 * delayed executor), so no thread is blocked, and cancelling the returned future stops further
 * attempts and cancels the one in flight.
 *
 * <p>Logs at DEBUG ({@link System.Logger}) each attempt: operation, method, path without query,
 * host, attempt number, status or error, latency, Request-ID, and the wait before the next one.
 * It never sees headers it did not read ({@code Request-ID}, {@code Retry-After}) nor logs bodies.
 */
public final class RetryingExchange implements Exchange {

  private static final System.Logger LOG = System.getLogger(RetryingExchange.class.getName());

  private final Exchange delegate;
  private final RetryPolicy policy;
  private final TimeSource time;
  private final Jitter jitter;

  /** Default policy, real clock, full jitter. */
  public RetryingExchange(Exchange delegate) {
    this(delegate, RetryPolicy.defaults());
  }

  public RetryingExchange(Exchange delegate, RetryPolicy policy) {
    this(delegate, policy, TimeSource.SYSTEM, Jitter.FULL);
  }

  /** With an injected clock/sleeper and jitter (tests). */
  public RetryingExchange(Exchange delegate, RetryPolicy policy, TimeSource time, Jitter jitter) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.time = Objects.requireNonNull(time, "time");
    this.jitter = Objects.requireNonNull(jitter, "jitter");
  }

  public RetryPolicy policy() {
    return policy;
  }

  @Override
  public IncomingResponse execute(OutgoingRequest request) throws IOException, InterruptedException {
    Call call = new Call(request);
    while (true) {
      Step step;
      OutgoingRequest attempt = call.beginAttempt();
      try {
        step = call.answered(delegate.execute(attempt));
      } catch (IOException e) {
        step = call.failed(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw e;
      }
      if (step.response != null) {
        return step.response;
      }
      if (step.failure != null) {
        throw step.failure;
      }
      if (!step.wait.isZero()) {
        try {
          time.sleep(step.wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  @Override
  public CompletableFuture<IncomingResponse> executeAsync(OutgoingRequest request) {
    Call call = new Call(request);
    CompletableFuture<IncomingResponse> result = new CompletableFuture<>();
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) {
        call.cancelInFlight();
      }
    });
    attemptAsync(call, result);
    return result;
  }

  private void attemptAsync(Call call, CompletableFuture<IncomingResponse> result) {
    if (result.isDone()) {
      return; // cancelled by the caller while waiting
    }
    CompletableFuture<IncomingResponse> inFlight;
    try {
      inFlight = Objects.requireNonNull(delegate.executeAsync(call.beginAttempt()),
          "the wrapped exchange returned no future");
    } catch (RuntimeException | Error e) {
      result.completeExceptionally(e);
      return;
    }
    call.inFlight = inFlight;
    inFlight.whenComplete((response, error) -> {
      try {
        Step step;
        if (error == null) {
          step = call.answered(response);
        } else {
          Throwable cause = unwrap(error);
          if (!(cause instanceof IOException)) {
            result.completeExceptionally(cause); // hook rejection, cancellation: never retried
            return;
          }
          step = call.failed((IOException) cause);
        }
        if (step.response != null) {
          result.complete(step.response);
        } else if (step.failure != null) {
          result.completeExceptionally(step.failure);
        } else {
          time.after(step.wait).execute(() -> attemptAsync(call, result));
        }
      } catch (RuntimeException | Error e) {
        result.completeExceptionally(e);
      }
    });
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** How an I/O failure is treated; package-private for tests. */
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
  static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
    Optional<String> header = headers.firstValue("Retry-After");
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String value = header.get().trim();
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

  /** Scheme, host and effective port, lower case: compares request URIs with failover hosts. */
  static String originKey(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    if (port < 0) {
      port = "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
    }
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    return scheme + "://" + host + ":" + port;
  }

  /** The same request sent to {@code origin}: scheme, host and port replaced, path and query kept. */
  static OutgoingRequest withOrigin(OutgoingRequest request, URI origin) {
    URI u = request.uri();
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
    return request.withUri(URI.create(origin.getScheme() + "://" + origin.getRawAuthority() + path + query));
  }

  private static void debug(Supplier<String> message) {
    LOG.log(Level.DEBUG, message);
  }

  /** What to do after an attempt: return, throw, or wait and try again. */
  private static final class Step {
    final IncomingResponse response;
    final RetriesExhaustedException failure;
    final Duration wait;

    private Step(IncomingResponse response, RetriesExhaustedException failure, Duration wait) {
      this.response = response;
      this.failure = failure;
      this.wait = wait;
    }
  }

  /** The state of one call across its attempts. Attempts run one after another, never together. */
  private final class Call {
    private final OutgoingRequest original;
    private final long startNanos;
    private final List<Attempt> attempts = new ArrayList<>();
    private final List<IOException> failures = new ArrayList<>();
    private final Set<String> triedHosts = new HashSet<>();
    private int hostIndex;
    private OutgoingRequest current;
    private Duration waited = Duration.ZERO;
    private Attempt.Wait waitReason = Attempt.Wait.NONE;
    private long sentAt;
    volatile CompletableFuture<IncomingResponse> inFlight;

    Call(OutgoingRequest request) {
      this.original = Objects.requireNonNull(request, "request");
      this.current = request;
      this.startNanos = time.nanoTime();
      this.hostIndex = indexOfHost(request.uri());
    }

    OutgoingRequest beginAttempt() {
      triedHosts.add(originKey(current.uri()));
      sentAt = time.nanoTime();
      return current;
    }

    void cancelInFlight() {
      CompletableFuture<IncomingResponse> f = inFlight;
      if (f != null) {
        f.cancel(true);
      }
    }

    Step answered(IncomingResponse response) {
      Objects.requireNonNull(response, "the wrapped exchange returned no response");
      Duration latency = Duration.ofNanos(time.nanoTime() - sentAt);
      int status = response.statusCode();
      boolean retryable = policy.retryableStatuses().contains(status);
      Attempt attempt = record(retryable ? Attempt.Outcome.RETRYABLE_STATUS : Attempt.Outcome.ANSWERED,
          status, response.requestId(), null, latency);
      debug(() -> describe() + " attempt " + attempt.number() + "/" + policy.maxAttempts() + " to "
          + attempt.host() + ": HTTP " + status + " in " + latency.toMillis() + " ms, Request-ID "
          + attempt.requestId());
      if (!retryable) {
        return finish(response, "answered HTTP " + status);
      }
      Optional<Duration> retryAfter = retryAfter(response.headers(), time.now());
      Duration wait = retryAfter.isPresent() ? retryAfter.get() : backoff();
      Attempt.Wait reason = retryAfter.isPresent() ? Attempt.Wait.RETRY_AFTER : Attempt.Wait.BACKOFF;
      String stop = stopReason(wait, reason);
      if (stop != null) {
        return finish(response, "HTTP " + status + " and " + stop);
      }
      return retry(wait, reason);
    }

    Step failed(IOException e) {
      Duration latency = Duration.ofNanos(time.nanoTime() - sentAt);
      Attempt.Outcome outcome = classify(e);
      Attempt attempt = record(outcome, 0, null, e.toString(), latency);
      failures.add(e);
      debug(() -> describe() + " attempt " + attempt.number() + "/" + policy.maxAttempts() + " to "
          + attempt.host() + ": " + outcome + " (" + e + ") in " + latency.toMillis() + " ms");
      if (outcome == Attempt.Outcome.FAILED) {
        return fail(e, "not retried: " + e.getClass().getSimpleName()
            + " is neither a connection failure nor a timeout, and the request may have been processed");
      }
      Duration wait;
      Attempt.Wait reason;
      if (outcome == Attempt.Outcome.UNREACHABLE && hostIndex >= 0 && policy.hosts().size() > 1) {
        hostIndex = (hostIndex + 1) % policy.hosts().size();
        URI next = policy.hosts().get(hostIndex);
        current = withOrigin(original, next);
        boolean fresh = !triedHosts.contains(originKey(next));
        wait = fresh ? Duration.ZERO : backoff();
        reason = fresh ? Attempt.Wait.FAILOVER : Attempt.Wait.BACKOFF;
      } else {
        wait = backoff();
        reason = Attempt.Wait.BACKOFF;
      }
      String stop = stopReason(wait, reason);
      if (stop != null) {
        return fail(e, stop);
      }
      return retry(wait, reason);
    }

    private Attempt record(Attempt.Outcome outcome, int status, String requestId, String error,
        Duration latency) {
      Attempt a = new Attempt(attempts.size() + 1, hostOf(current.uri()), waited, waitReason,
          outcome, status, requestId, error, latency);
      attempts.add(a);
      return a;
    }

    private Duration backoff() {
      Duration ceiling = policy.backoffCeiling(attempts.size());
      Duration picked = jitter.pick(ceiling);
      if (picked == null || picked.isNegative()) {
        return Duration.ZERO;
      }
      return picked.compareTo(ceiling) > 0 ? ceiling : picked;
    }

    /** Null when another attempt may be made after {@code wait}, else why not. */
    private String stopReason(Duration wait, Attempt.Wait reason) {
      if (attempts.size() >= policy.maxAttempts()) {
        return "maxAttempts (" + policy.maxAttempts() + ") reached";
      }
      Duration elapsed = Duration.ofNanos(time.nanoTime() - startNanos);
      Duration left = policy.maxTotalTime().minus(elapsed);
      if (wait.compareTo(left) > 0) {
        String what = reason == Attempt.Wait.RETRY_AFTER ? "Retry-After" : "the backoff";
        return "waiting " + millis(wait) + " (" + what + ") would pass maxTotalTime ("
            + policy.maxTotalTime().toMillis() + " ms; " + elapsed.toMillis() + " ms elapsed)";
      }
      return null;
    }

    private Step retry(Duration wait, Attempt.Wait reason) {
      waited = wait;
      waitReason = reason;
      String host = hostOf(current.uri());
      debug(() -> describe() + " retrying on " + host + " in " + wait.toMillis() + " ms ("
          + reason.name().toLowerCase(Locale.ROOT) + ")");
      return new Step(null, null, wait);
    }

    private Step finish(IncomingResponse response, String reason) {
      AttemptHistory history = history(reason);
      AttemptHistory.attach(response, history);
      if (attempts.size() > 1) {
        debug(history::toString);
      }
      return new Step(response, null, null);
    }

    private Step fail(IOException last, String reason) {
      AttemptHistory history = history(reason);
      RetriesExhaustedException ex = new RetriesExhaustedException(history, last);
      for (IOException earlier : failures) {
        if (earlier != last) {
          ex.addSuppressed(earlier);
        }
      }
      debug(history::toString);
      return new Step(null, ex, null);
    }

    private AttemptHistory history(String reason) {
      return new AttemptHistory(original.operationId(), original.method(), pathOf(original.uri()),
          attempts, reason);
    }

    private String describe() {
      return original.operationId() + " " + original.method() + " " + pathOf(original.uri());
    }

    private int indexOfHost(URI uri) {
      String key = originKey(uri);
      List<URI> hosts = policy.hosts();
      for (int i = 0; i < hosts.size(); i++) {
        if (originKey(hosts.get(i)).equals(key)) {
          return i;
        }
      }
      return -1;
    }
  }

  private static String hostOf(URI uri) {
    return uri.getRawAuthority() == null ? String.valueOf(uri) : uri.getRawAuthority();
  }

  private static String pathOf(URI uri) {
    return uri.getRawPath() == null ? "" : uri.getRawPath();
  }

  private static String millis(Duration d) {
    // A Retry-After of Long.MAX_VALUE seconds does not fit in toMillis().
    return d.getSeconds() > 1_000_000_000L ? d.getSeconds() + " s" : d.toMillis() + " ms";
  }
}
