package io.github.wechatpaypartner.client.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.exception.ConfigurationException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link CallPipeline} runs with, checked once. The request-signing and
 * answer-verification steps are required and sit in their own places, after every user
 * interceptor: a pipeline cannot be built without them, and nothing can reorder them.
 */
public final class PipelineSettings {
  /** 4 MiB: far above any answer the spec allows (its largest is a few KiB). */
  public static final long DEFAULT_MAX_ANSWER_BYTES = 4L * 1024 * 1024;

  final String mchid;
  final List<URI> hosts;
  final RetryPolicy retryPolicy;
  final Timeouts timeouts;
  final long maxAnswerBytes;
  final RateLimiter rateLimiter;
  final Transport transport;
  final List<Interceptor> callInterceptors;
  /** The user's per-attempt interceptors only. */
  final List<Interceptor> userAttemptInterceptors;
  /** What runs around each attempt: the user's interceptors, then signing, then verification. */
  final List<Interceptor> attemptSteps;
  final Interceptor signing;
  final Interceptor verification;
  final List<CallListener> listeners;
  final ObjectMapper mapper;
  final TimeSource time;
  final Jitter jitter;
  final Map<String, String> baseHeaders;
  final AsyncCalls async;
  final StartupTuning.AnswerReaders answerReaders;

  private PipelineSettings(Builder b) {
    this.mchid = require(b.mchid, "mchid");
    this.hosts = List.copyOf(require(b.hosts, "hosts"));
    if (hosts.isEmpty()) {
      throw new ConfigurationException("hosts must name at least one host");
    }
    this.retryPolicy = require(b.retryPolicy, "retryPolicy");
    this.timeouts = require(b.timeouts, "timeouts");
    if (b.maxAnswerBytes < 1 || b.maxAnswerBytes > Integer.MAX_VALUE - 8) {
      throw new ConfigurationException("maxAnswerBytes must be from 1 to " + (Integer.MAX_VALUE - 8)
          + ", got " + b.maxAnswerBytes);
    }
    this.maxAnswerBytes = b.maxAnswerBytes;
    this.rateLimiter = b.rateLimiter;
    this.transport = require(b.transport, "transport");
    this.callInterceptors = List.copyOf(b.callInterceptors);
    this.signing = require(b.signing, "signing (the request-signing step)");
    this.verification = require(b.verification, "verification (the answer-verification step)");
    List<Interceptor> attempt = new ArrayList<>(b.attemptInterceptors);
    attempt.add(signing);
    attempt.add(verification);
    this.userAttemptInterceptors = List.copyOf(b.attemptInterceptors);
    this.attemptSteps = List.copyOf(attempt);
    this.listeners = List.copyOf(b.listeners);
    this.mapper = require(b.mapper, "mapper");
    this.time = require(b.time, "time");
    this.jitter = require(b.jitter, "jitter");
    this.baseHeaders = Map.of("Accept", "application/json", "Content-Type", "application/json",
        "User-Agent", require(b.userAgent, "userAgent"));
    this.async = b.async != null ? b.async : new AsyncCalls(b.executor);
    this.answerReaders = b.answerReaders != null && b.mapper == b.answerReaders.mapper()
        ? b.answerReaders : new StartupTuning.AnswerReaders(mapper);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings (to derive a pipeline with more interceptors). */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.mchid = mchid;
    b.hosts = hosts;
    b.retryPolicy = retryPolicy;
    b.timeouts = timeouts;
    b.maxAnswerBytes = maxAnswerBytes;
    b.rateLimiter = rateLimiter;
    b.transport = transport;
    b.callInterceptors.addAll(callInterceptors);
    b.attemptInterceptors.addAll(userAttemptInterceptors);
    b.signing = signing;
    b.verification = verification;
    b.listeners.addAll(listeners);
    b.mapper = mapper;
    b.time = time;
    b.jitter = jitter;
    b.userAgent = baseHeaders.get("User-Agent");
    b.executor = async.given();
    b.async = async;
    b.answerReaders = answerReaders;
    return b;
  }

  private static <T> T require(T value, String name) {
    if (value == null) {
      throw new ConfigurationException("the call pipeline needs " + name);
    }
    return value;
  }

  @Override
  public String toString() {
    return "mchid=" + mchid + ", hosts=" + hosts + ", " + retryPolicy + ", " + timeouts
        + ", maxAnswerBytes=" + maxAnswerBytes + ", rateLimiter=" + rateLimiter + ", transport="
        + transport + ", callInterceptors=" + callInterceptors + ", attemptSteps="
        + attemptSteps;
  }

  /** Not thread-safe; {@link #build()} checks everything. */
  public static final class Builder {
    private String mchid;
    private List<URI> hosts;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Timeouts timeouts = Timeouts.DEFAULT;
    private long maxAnswerBytes = DEFAULT_MAX_ANSWER_BYTES;
    private RateLimiter rateLimiter;
    private Transport transport;
    private final List<Interceptor> callInterceptors = new ArrayList<>();
    private final List<Interceptor> attemptInterceptors = new ArrayList<>();
    private Interceptor signing;
    private Interceptor verification;
    private final List<CallListener> listeners = new ArrayList<>();
    private ObjectMapper mapper;
    private TimeSource time = TimeSource.SYSTEM;
    private Jitter jitter = Jitter.FULL;
    private String userAgent;
    private java.util.concurrent.Executor executor;
    /** Shared with the pipeline a derived one comes from (toBuilder). */
    private AsyncCalls async;
    private StartupTuning.AnswerReaders answerReaders;

    private Builder() {
    }

    public Builder mchid(String value) {
      this.mchid = value;
      return this;
    }

    /** The origins to try, in order: the first first, the next on failover. */
    public Builder hosts(List<URI> value) {
      this.hosts = value;
      return this;
    }

    public Builder retryPolicy(RetryPolicy value) {
      this.retryPolicy = value;
      return this;
    }

    public Builder timeouts(Timeouts value) {
      this.timeouts = value;
      return this;
    }

    /** The most body bytes read of one answer (default {@link #DEFAULT_MAX_ANSWER_BYTES}). */
    public Builder maxAnswerBytes(long value) {
      this.maxAnswerBytes = value;
      return this;
    }

    /** Asked before every attempt of an operation with a stated rate limit; {@code null}: none. */
    public Builder rateLimiter(RateLimiter value) {
      this.rateLimiter = value;
      return this;
    }

    public Builder transport(Transport value) {
      this.transport = value;
      return this;
    }

    /** A per-call interceptor, after those already added. */
    public Builder callInterceptor(Interceptor value) {
      callInterceptors.add(Objects.requireNonNull(value, "interceptor"));
      return this;
    }

    /** A per-attempt interceptor, after those already added (and before signing, always). */
    public Builder attemptInterceptor(Interceptor value) {
      attemptInterceptors.add(Objects.requireNonNull(value, "interceptor"));
      return this;
    }

    /** The request-signing step: sets {@code Authorization} and {@code Wechatpay-Serial}. */
    public Builder signing(Interceptor value) {
      this.signing = value;
      return this;
    }

    /** The answer-verification step: gives each answer its {@link Verdict}. */
    public Builder verification(Interceptor value) {
      this.verification = value;
      return this;
    }

    public Builder listener(CallListener value) {
      listeners.add(Objects.requireNonNull(value, "listener"));
      return this;
    }

    public Builder mapper(ObjectMapper value) {
      this.mapper = value;
      return this;
    }

    public Builder timeSource(TimeSource value) {
      this.time = value;
      return this;
    }

    public Builder jitter(Jitter value) {
      this.jitter = value;
      return this;
    }

    public Builder userAgent(String value) {
      this.userAgent = value;
      return this;
    }

    /** Runs the async calls; {@code null}: a cached pool of daemon threads, made on first use. */
    public Builder executor(java.util.concurrent.Executor value) {
      this.executor = value;
      this.async = null;
      return this;
    }

    public PipelineSettings build() {
      return new PipelineSettings(this);
    }
  }
}
