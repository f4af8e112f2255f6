package io.github.wechatpaypartner.client.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.wechatpaypartner.exception.Attempt;
import io.github.wechatpaypartner.exception.RateLimitException;
import io.github.wechatpaypartner.exception.RequestValidationException;
import io.github.wechatpaypartner.exception.TransportException;
import io.github.wechatpaypartner.exception.WechatPayException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One call, top to bottom. {@link #execute} validates the request against the spec's constraints
 * and serializes its body once (nothing is sent on a violation), then runs the per-call
 * interceptors around {@link Call#attempts}, which for each attempt takes a rate-limit permit, runs
 * the per-attempt interceptors around signing, around verification, around the transport (bounded
 * in time and size), classifies what came back into an {@link Outcome}, records the attempt once,
 * and asks the {@link RetryPolicy}. The call's result is read from the last verified answer, or
 * its exception is built once, from the last outcome and every attempt.
 */
public final class CallPipeline {
  private static final System.Logger LOG = System.getLogger(CallPipeline.class.getName());

  private final PipelineSettings s;

  public CallPipeline(PipelineSettings settings) {
    this.s = settings;
  }

  public PipelineSettings settings() {
    return s;
  }

  /** Runs a call and returns its verified, deserialized answer ({@code null} for an answer without body). */
  public <T> T execute(ApiCall<T> call) {
    String operationId = call.operation().id();
    RequestValidationException.throwIfAny(operationId, call.allViolations());
    s.answerReaders.buildAhead(call.responseType());
    byte[] body;
    try {
      body = call.body() == null ? new byte[0] : s.mapper.writeValueAsBytes(call.body());
    } catch (JsonProcessingException e) {
      throw new WechatPayException(operationId + ": cannot serialize the request body: "
          + e.getOriginalMessage() + "; nothing sent", e, operationId);
    }
    return new Call<>(call, body).run();
  }

  /** {@link #execute} on the client's executor; a request that breaks the spec fails the future at once. */
  public <T> CompletableFuture<T> executeAsync(Supplier<ApiCall<T>> calls) {
    ApiCall<T> call;
    try {
      call = calls.get();
      RequestValidationException.throwIfAny(call.operation().id(), call.allViolations());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return s.async.submit(call.operation().id(), () -> execute(call));
  }

  /** The state of one call; used by one thread. */
  private final class Call<T> {
    private final ApiCall<T> call;
    private final Operation op;
    private final byte[] body;
    private final String pathAndQuery;
    private final long start = s.time.nanoTime();
    private final List<Attempt> attempts = new ArrayList<>();
    private final List<IOException> ioFailures = new ArrayList<>();
    private final Set<URI> tried = new HashSet<>();
    private int hostIndex;
    private Duration waited = Duration.ZERO;
    private Attempt.Wait waitReason = Attempt.Wait.NONE;
    private String stopReason = "not retried";
    private CallContext context;

    Call(ApiCall<T> call, byte[] body) {
      this.call = call;
      this.op = call.operation();
      this.body = body;
      this.pathAndQuery = call.pathAndQuery();
    }

    T run() {
      WechatPayException failure = null;
      try {
        URI first = s.hosts.get(0);
        context = CallContext.newCall(op, first);
        OutgoingRequest request = new OutgoingRequest(op.id(), op.method(),
            first.resolve(pathAndQuery), s.baseHeaders, body);
        Outcome end;
        try {
          end = Outcome.of(Steps.run(s.callInterceptors, request, context, this::attempts), s.time.now());
        } catch (IOException e) {
          end = Outcome.of(e);
        }
        if (end.kind() == Outcome.Kind.SUCCESS) {
          return CallResults.answer(end.response().orElseThrow(), call.responseType(), s.mapper, op.id(),
              describe(), attempts);
        }
        throw failure = CallResults.failure(end, op.id(), describe(), stopReason, attempts, ioFailures, s.mapper);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure = new TransportException(describe() + ": interrupted; no further attempt", e, op.id(), attempts);
      } catch (RateLimitException e) {
        throw failure = new RateLimitException(e.getMessage(), op.id(), e.waited(), e.getCause(), attempts);
      } catch (WechatPayException e) {
        throw failure = e;
      } catch (RuntimeException | Error e) {
        throw failure = new WechatPayException(describe() + ": failed inside the call: " + e, e, op.id(), attempts);
      } finally {
        Duration took = Duration.ofNanos(s.time.nanoTime() - start);
        WechatPayException thrown = failure;
        s.listeners.forEach(l -> Listeners.callEnded(l, op, attempts, took, thrown));
      }
    }

    /** The last step of the per-call interceptors: attempts until the policy stops. */
    private IncomingResponse attempts(OutgoingRequest request) throws IOException, InterruptedException {
      while (true) {
        URI host = s.hosts.get(hostIndex);
        tried.add(host);
        if (s.rateLimiter != null && op.rateLimitPerSecond().isPresent()) {
          s.rateLimiter.acquire(s.mchid, op.id(), op.rateLimitPerSecond().getAsInt());
        }
        long sentAt = s.time.nanoTime();
        Outcome outcome;
        try {
          outcome = Outcome.of(Steps.run(s.attemptSteps, request.withUri(host.resolve(pathAndQuery)),
              context.forAttempt(attempts.size() + 1, host, attempts), this::send), s.time.now());
        } catch (IOException e) {
          ioFailures.add(e);
          outcome = Outcome.of(e);
        }
        record(outcome, host, sentAt);
        URI next = s.hosts.get((hostIndex + 1) % s.hosts.size());
        boolean failover = outcome.kind() == Outcome.Kind.UNREACHABLE && s.hosts.size() > 1;
        RetryPolicy.Decision decision = s.retryPolicy.decide(outcome, attempts.size(), elapsed(),
            failover && !tried.contains(next), s.jitter);
        if (!decision.retry()) {
          stopReason = decision.stopReason();
          if (outcome.failure().isPresent()) {
            throw outcome.failure().get();
          }
          return outcome.response().orElseThrow();
        }
        hostIndex = failover ? (hostIndex + 1) % s.hosts.size() : hostIndex;
        waited = decision.waitBefore();
        waitReason = decision.waitReason();
        LOG.log(Level.DEBUG, () -> describe() + " retrying on " + s.hosts.get(hostIndex).getRawAuthority()
            + " in " + waited.toMillis() + " ms (" + waitReason + ")");
        if (!waited.isZero()) {
          s.time.sleep(waited);
        }
      }
    }

    /** The last step of an attempt: the transport, within the attempt's deadline and the call's. */
    private IncomingResponse send(OutgoingRequest request) throws IOException, InterruptedException {
      Duration left = s.retryPolicy.maxTotalTime().minus(elapsed());
      Duration deadline = left.compareTo(s.timeouts.attempt()) < 0 ? left : s.timeouts.attempt();
      return s.transport.send(request, deadline.compareTo(Duration.ofMillis(1)) < 0
          ? Duration.ofMillis(1) : deadline, s.maxAnswerBytes);
    }

    private void record(Outcome outcome, URI host, long sentAt) {
      Attempt a = outcome.toAttempt(attempts.size() + 1, host.getRawAuthority(), waited, waitReason,
          s.retryPolicy.retryableStatuses().contains(outcome.statusCode()), s.mapper,
          Duration.ofNanos(s.time.nanoTime() - sentAt));
      attempts.add(a);
      LOG.log(Level.DEBUG, () -> describe() + " " + a);
      s.listeners.forEach(l -> Listeners.attemptEnded(l, op, a));
    }

    private Duration elapsed() {
      return Duration.ofNanos(s.time.nanoTime() - start);
    }

    private String describe() {
      return op.id() + " " + op.method() + " " + op.path();
    }
  }
}
