package io.github.wechatpaypartner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.client.model.AbstractOpenApiSchema;
import io.github.wechatpaypartner.client.runtime.ApiCall;
import io.github.wechatpaypartner.client.runtime.IncomingResponse;
import io.github.wechatpaypartner.client.runtime.Interceptor;
import io.github.wechatpaypartner.client.runtime.Jitter;
import io.github.wechatpaypartner.client.runtime.RateLimiter;
import io.github.wechatpaypartner.client.runtime.RetryPolicy;
import io.github.wechatpaypartner.client.runtime.TimeSource;
import io.github.wechatpaypartner.client.runtime.Timeouts;
import io.github.wechatpaypartner.client.runtime.Transport;
import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import io.github.wechatpaypartner.client.validation.Validatable;
import io.github.wechatpaypartner.exception.RequestValidationException;
import io.github.wechatpaypartner.exception.Violation;
import io.github.wechatpaypartner.exception.WechatPayException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The call path of one {@link WechatPayClient}, which the generated APIs hand their calls to:
 * validate, serialize once, then the attempts ({@link CallExecution}), then read the verified
 * answer. Immutable and thread-safe without locks; only a {@link WechatPayClient} builds one, so
 * no generated API exists without signing and (outside the named mock-server mode) verification.
 */
public final class ClientRuntime {
  private final String mchid;
  private final List<URI> hosts;
  private final RetryPolicy retryPolicy;
  private final Timeouts timeouts;
  private final RateLimiter rateLimiter;
  private final Transport transport;
  private final List<Interceptor> userInterceptors;
  private final List<Interceptor> interceptors;
  private final Interceptor signing;
  private final Interceptor answerCheck;
  private final ObjectMapper mapper;
  private final AsyncExecutor asyncExecutor;
  private final TimeSource time;
  private final Jitter jitter;
  private final Map<String, String> baseHeaders;
  /** Answer types whose reader has been built, or is being built (see {@link #buildReaderAhead}). */
  private final Set<Class<?>> answerTypesSeen = ConcurrentHashMap.newKeySet();

  ClientRuntime(String mchid, List<URI> hosts, RetryPolicy retryPolicy, Timeouts timeouts,
      RateLimiter rateLimiter, Transport transport, List<Interceptor> userInterceptors,
      Interceptor signing, Interceptor answerCheck, ObjectMapper mapper, AsyncExecutor asyncExecutor,
      TimeSource time, Jitter jitter, String userAgent) {
    this.mchid = mchid;
    this.hosts = List.copyOf(hosts);
    this.retryPolicy = retryPolicy;
    this.timeouts = timeouts;
    this.rateLimiter = rateLimiter;
    this.transport = transport;
    this.userInterceptors = List.copyOf(userInterceptors);
    this.signing = signing;
    this.answerCheck = answerCheck;
    List<Interceptor> all = new ArrayList<>(this.userInterceptors);
    all.add(signing);
    all.add(answerCheck);
    this.interceptors = List.copyOf(all);
    this.mapper = mapper;
    this.asyncExecutor = asyncExecutor;
    this.time = time;
    this.jitter = jitter;
    this.baseHeaders = Map.of("Accept", "application/json", "Content-Type", "application/json",
        "User-Agent", userAgent);
  }

  /** The same runtime with one more user interceptor after the existing ones. */
  ClientRuntime withInterceptor(Interceptor interceptor) {
    List<Interceptor> more = new ArrayList<>(userInterceptors);
    more.add(Objects.requireNonNull(interceptor, "interceptor"));
    return new ClientRuntime(mchid, hosts, retryPolicy, timeouts, rateLimiter, transport, more,
        signing, answerCheck, mapper, asyncExecutor, time, jitter, baseHeaders.get("User-Agent"));
  }

  /**
   * Runs a call and returns its verified, deserialized answer.
   *
   * @throws WechatPayException (a subclass saying what failed) when the call fails
   */
  public <T> T execute(ApiCall<T> call) {
    return read(call, prepare(call).run());
  }

  /**
   * Runs a call on the client's executor. A request that breaks the spec fails the future at
   * once (nothing sent); cancelling the future interrupts the call, which then makes no further
   * attempt. The future fails with the same exceptions {@link #execute} throws (unwrapped).
   */
  public <T> CompletableFuture<T> executeAsync(Supplier<ApiCall<T>> callSupplier) {
    ApiCall<T> call;
    CallExecution execution;
    try {
      call = callSupplier.get();
      execution = prepare(call);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CallFuture<T> future = new CallFuture<>(() -> read(call, execution.run()));
    try {
      asyncExecutor.get().execute(future.task);
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(new WechatPayException(call.operation().id()
          + ": the async executor refused the call; nothing sent", e, call.operation().id()));
    }
    return future;
  }

  /** Validates and serializes once: the bytes every attempt signs and sends. */
  private CallExecution prepare(ApiCall<?> call) {
    Objects.requireNonNull(call, "call");
    buildReaderAhead(call.responseType());
    String operationId = call.operation().id();
    List<Violation> violations = new ArrayList<>(call.violations());
    Object body = call.body();
    Object model = body instanceof AbstractOpenApiSchema
        ? ((AbstractOpenApiSchema) body).getActualInstance() : body;
    if (body != null && model == null) {
      violations.add(new Violation("(body)", "one of the " + body.getClass().getSimpleName()
          + " variants is required", null));
    } else if (model instanceof Validatable) {
      ((Validatable) model).collectViolations("", violations);
    }
    RequestValidationException.throwIfAny(operationId, violations);
    byte[] bytes;
    try {
      bytes = body == null ? new byte[0] : mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new WechatPayException(operationId + ": cannot serialize the request body: "
          + e.getOriginalMessage() + "; nothing sent", e, operationId);
    }
    return new CallExecution(this, call.operation(), pathAndQuery(call), bytes);
  }

  /**
   * The first call of each answer type builds Jackson's reader of that type on a daemon thread,
   * while the request is validated, serialized, signed and sent: building it (introspecting the
   * model and its nested models) takes tens of milliseconds the first time, which would otherwise
   * follow the answer's arrival. The mapper caches what it builds; later calls find it there.
   */
  private void buildReaderAhead(Class<?> answerType) {
    if (answerTypesSeen.add(answerType)) {
      Thread thread = new Thread(() -> {
        try {
          mapper.readerFor(answerType); // builds and caches the root deserializer
        } catch (RuntimeException e) {
          // Only ahead of time: reading the answer reports any real problem.
        }
      }, "wechatpay-json-reader");
      thread.setDaemon(true);
      thread.start();
    }
  }

  private <T> T read(ApiCall<T> call, IncomingResponse response) {
    if (response.body().length == 0) {
      return null;
    }
    try {
      return mapper.readValue(response.body(), call.responseType());
    } catch (IOException e) {
      throw new WechatPayException(call.operation().id() + ": the verified HTTP "
          + response.statusCode() + " answer (Request-ID " + response.requestId()
          + ") could not be read as " + call.responseType().getSimpleName() + ": "
          + e.getMessage() + "; the request was processed", e, call.operation().id());
    }
  }

  private static String pathAndQuery(ApiCall<?> call) {
    String path = call.operation().path();
    for (Map.Entry<String, Object> p : call.pathParams().entrySet()) {
      path = path.replace("{" + p.getKey() + "}", encode(text(p.getValue())));
    }
    if (call.queryParams().isEmpty()) {
      return path;
    }
    StringJoiner query = new StringJoiner("&", "?", "");
    call.queryParams().forEach((name, value) -> query.add(encode(name) + "=" + encode(text(value))));
    return path + query;
  }

  private static String text(Object value) {
    return value instanceof OffsetDateTime
        ? WechatPayJson.TIME_FORMAT.format((OffsetDateTime) value)
        : String.valueOf(value);
  }

  /** Percent-encoding of a path segment or query part (a space is {@code %20}, not {@code +}). */
  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  String mchid() {
    return mchid;
  }

  List<URI> hosts() {
    return hosts;
  }

  RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  Timeouts timeouts() {
    return timeouts;
  }

  RateLimiter rateLimiter() {
    return rateLimiter;
  }

  Transport transport() {
    return transport;
  }

  List<Interceptor> interceptors() {
    return interceptors;
  }

  ObjectMapper mapper() {
    return mapper;
  }

  TimeSource time() {
    return time;
  }

  Jitter jitter() {
    return jitter;
  }

  Map<String, String> baseHeaders() {
    return baseHeaders;
  }

  @Override
  public String toString() {
    return "ClientRuntime[mchid=" + mchid + ", hosts=" + hosts + ", " + retryPolicy + ", " + timeouts
        + ", rateLimiter=" + rateLimiter + ", transport=" + transport + ", interceptors=" + interceptors + "]";
  }

  /**
   * A future whose {@code cancel} interrupts the running call. The call runs as a
   * {@link FutureTask}, which interrupts only its own run, never whatever the pool thread does next.
   */
  private static final class CallFuture<T> extends CompletableFuture<T> {
    final FutureTask<T> task;

    CallFuture(Callable<T> call) {
      this.task = new FutureTask<>(call) {
        @Override
        protected void done() {
          if (isCancelled()) {
            CallFuture.this.completeExceptionally(new CancellationException("call cancelled"));
            return;
          }
          try {
            CallFuture.this.complete(get());
          } catch (ExecutionException e) {
            CallFuture.this.completeExceptionally(e.getCause());
          } catch (InterruptedException | CancellationException e) {
            CallFuture.this.completeExceptionally(e);
          }
        }
      };
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      task.cancel(true);
      return cancelled;
    }
  }

  /**
   * The executor of async calls: the user's, or a cached pool of daemon threads made on first
   * use (a client that never calls async starts no thread).
   */
  static final class AsyncExecutor {
    private final Executor given;
    private volatile Executor created;

    AsyncExecutor(Executor given) {
      this.given = given;
    }

    Executor get() {
      if (given != null) {
        return given;
      }
      Executor e = created;
      if (e == null) {
        synchronized (this) {
          e = created;
          if (e == null) {
            AtomicInteger n = new AtomicInteger();
            e = Executors.newCachedThreadPool(r -> {
              Thread t = new Thread(r, "wechatpay-async-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
            created = e;
          }
        }
      }
      return e;
    }
  }
}
