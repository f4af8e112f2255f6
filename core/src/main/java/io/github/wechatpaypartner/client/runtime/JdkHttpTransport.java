package io.github.wechatpaypartner.client.runtime;

import io.github.wechatpaypartner.exception.ConfigurationException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The default {@link Transport}: one {@link HttpClient} round trip, the body sent from the very
 * array that was signed, the answer read as bytes against the attempt's deadline and the size
 * limit. Redirects are never followed.
 */
public final class JdkHttpTransport implements Transport {
  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED = restricted();

  private final CompletableFuture<HttpClient> httpClient;
  private final Watchdog watchdog = new Watchdog();

  /**
   * A transport on the caller's HttpClient, which must not follow redirects: a followed redirect
   * would send the {@code Authorization} header (and, on 307/308, the body) to another host.
   *
   * @throws ConfigurationException when {@code httpClient} follows redirects
   */
  public JdkHttpTransport(HttpClient httpClient) {
    this(CompletableFuture.completedFuture(Objects.requireNonNull(httpClient, "httpClient")));
    if (httpClient.followRedirects() != HttpClient.Redirect.NEVER) {
      throw new ConfigurationException("httpClient follows redirects (" + httpClient.followRedirects()
          + "): build it with HttpClient.Redirect.NEVER, or another host would receive the"
          + " Authorization header");
    }
  }

  private JdkHttpTransport(CompletableFuture<HttpClient> httpClient) {
    this.httpClient = httpClient;
  }

  /**
   * A transport on {@link #newHttpClient(Duration)}, which is built on a background thread: the
   * JDK's client sets up the default TLS context when it is built (about 100-200 ms at start-up),
   * which then overlaps the rest of the client's set-up; the first request waits for it.
   */
  public static JdkHttpTransport withConnectTimeout(Duration connectTimeout) {
    return inBackground(() -> newHttpClient(connectTimeout));
  }

  /**
   * The client's default transport for these hosts: {@link #withConnectTimeout(Duration)} when one
   * of them is https. When every host is plain http (a local mock server), TLS is never set up:
   * the JDK's client gets a TLS context that refuses every use instead of the default one, whose
   * trust store and cipher tables cost about 4 MB of class metadata and 100-200 ms at start-up.
   */
  public static JdkHttpTransport forHosts(List<URI> hosts, Duration connectTimeout) {
    boolean tls = hosts.stream().anyMatch(h -> !"http".equalsIgnoreCase(h.getScheme()));
    if (tls) {
      return withConnectTimeout(connectTimeout);
    }
    return inBackground(() -> builder(connectTimeout)
        .sslContext(new NoTls())
        .sslParameters(new SSLParameters())
        .build());
  }

  private static JdkHttpTransport inBackground(Supplier<HttpClient> build) {
    CompletableFuture<HttpClient> client = new CompletableFuture<>();
    StartupTuning.inBackground("wechatpay-http-setup", () -> {
      try {
        client.complete(build.get());
      } catch (RuntimeException | Error e) {
        client.completeExceptionally(e);
      }
    });
    return new JdkHttpTransport(client);
  }


  /**
   * The HttpClient this SDK uses by default: HTTP/1.1 and an executor that runs the client's
   * dependent steps in the thread that completes them. With the default cached pool, a blocking
   * {@code send} hands each exchange between three threads; measured on 2 cores this costs
   * 110-150 us per call. At 20 requests/s per operation keep-alive HTTP/1.1 connections suffice.
   *
   * @param connectTimeout connect timeout ({@code null}: none)
   */
  public static HttpClient newHttpClient(Duration connectTimeout) {
    return builder(connectTimeout).build();
  }

  private static HttpClient.Builder builder(Duration connectTimeout) {
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .executor(Runnable::run);
    if (connectTimeout != null) {
      builder.connectTimeout(connectTimeout);
    }
    return builder;
  }

  @Override
  public IncomingResponse send(OutgoingRequest request, Duration timeout, long maxAnswerBytes)
      throws IOException, InterruptedException {
    byte[] body = request.body();
    HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
        .method(request.method(), body.length == 0 && !"POST".equals(request.method())
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body))
        .timeout(timeout);
    request.headers().forEach((name, value) -> {
      if (!RESTRICTED.contains(name)) {
        builder.setHeader(name, value);
      }
    });
    // The JDK's request timeout stops counting when the headers arrive; the body is read against
    // the same deadline (the watchdog, from when the headers arrive) and the size limit as it arrives.
    // The blocking send(), not sendAsync(): sendAsync hands every answer to another thread (on 2
    // cores a new thread per call), which the benchmarks showed as a slower call.
    long deadline = System.nanoTime() + timeout.toNanos();
    BoundedBody reader = new BoundedBody(maxAnswerBytes, deadline, timeout, watchdog);
    try {
      HttpResponse<byte[]> response = httpClient().send(builder.build(), reader);
      return new IncomingResponse(request, response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      // send() wraps what a body subscriber fails with in a plain IOException: give back our own.
      if (e.getCause() instanceof AnswerTooLargeException) {
        throw (AnswerTooLargeException) e.getCause();
      }
      throw e;
    } finally {
      watchdog.release(reader);
    }
  }

  /**
   * Collects the body and counts it as it arrives. Past {@code limit} it cancels the subscription
   * (the JDK then closes the connection): a 2xx fails with {@link AnswerTooLargeException} (its
   * body cannot be verified cut short); a non-2xx keeps the first {@code limit} bytes, enough to
   * classify and report it (an error page from a proxy can be any size).
   */
  private static final class BoundedBody implements HttpResponse.BodyHandler<byte[]> {
    private final long limit;
    private final long deadline;
    private final Duration timeout;
    private final Watchdog watchdog;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final AtomicLong received = new AtomicLong();
    private volatile Flow.Subscription subscription;

    BoundedBody(long limit, long deadline, Duration timeout, Watchdog watchdog) {
      this.limit = limit;
      this.deadline = deadline;
      this.timeout = timeout;
      this.watchdog = watchdog;
    }

    /** The deadline passed with the body incomplete: stop reading, close, fail as a timeout. */
    private void expire() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      result.completeExceptionally(new HttpTimeoutException("the answer was not complete within "
          + timeout.toMillis() + " ms; " + received.get() + " body bytes had arrived"));
    }

    @Override
    public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
      watchdog.watch(this);
      List<ByteBuffer> parts = new ArrayList<>();
      return new HttpResponse.BodySubscriber<>() {
        @Override
        public CompletionStage<byte[]> getBody() {
          return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
          subscription = s;
          s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
          if (result.isDone()) {
            return;
          }
          for (ByteBuffer item : items) {
            long before = received.get();
            if (before + item.remaining() > limit) {
              subscription.cancel();
              if (info.statusCode() / 100 == 2) {
                result.completeExceptionally(new AnswerTooLargeException(info.statusCode(), limit));
              } else {
                item.limit(item.position() + (int) (limit - before));
                parts.add(item);
                received.set(limit);
                result.complete(join(parts, limit));
              }
              return;
            }
            received.addAndGet(item.remaining());
            parts.add(item);
          }
        }

        @Override
        public void onError(Throwable failure) {
          if (!result.isDone()) {
            result.completeExceptionally(failure);
          }
        }

        @Override
        public void onComplete() {
          result.complete(join(parts, received.get()));
        }
      };
    }

    private static byte[] join(List<ByteBuffer> parts, long size) {
      byte[] all = new byte[(int) size];
      int at = 0;
      for (ByteBuffer part : parts) {
        int n = part.remaining();
        part.get(all, at, n);
        at += n;
      }
      return all;
    }
  }

  /**
   * Ends bodies that outlive their attempt's deadline. One sweep every 100 ms over the bodies being
   * read, on one daemon thread made when the first body starts: a timer per call would wake a
   * thread on every call (a context switch on the calling path, measured as a slower call).
   */
  private static final class Watchdog {
    private static final long SWEEP_MILLIS = 100;
    private final Set<BoundedBody> reading = ConcurrentHashMap.newKeySet();
    private volatile ScheduledThreadPoolExecutor executor;

    void watch(BoundedBody body) {
      if (executor == null) {
        synchronized (this) {
          if (executor == null) {
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
              Thread t = new Thread(r, "wechatpay-answer-deadline");
              t.setDaemon(true);
              return t;
            });
            e.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
            executor = e;
          }
        }
      }
      reading.add(body);
    }

    void release(BoundedBody body) {
      reading.remove(body);
    }

    private void sweep() {
      long now = System.nanoTime();
      for (BoundedBody body : reading) {
        if (now - body.deadline >= 0 && reading.remove(body)) {
          body.expire();
        }
      }
    }
  }

  /** The HttpClient, once built. */
  HttpClient httpClient() {
    HttpClient client = httpClient.getNow(null);
    if (client != null) {
      return client;
    }
    try {
      return httpClient.join();
    } catch (CompletionException e) {
      throw new ConfigurationException("The JDK's HttpClient could not be created: " + e.getCause(),
          e.getCause());
    }
  }

  @Override
  public String toString() {
    HttpClient client = httpClient.getNow(null);
    return "JdkHttpTransport[" + (client != null ? client.version() : "starting") + "]";
  }

  private static Set<String> restricted() {
    Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    names.addAll(Set.of("Connection", "Content-Length", "Expect", "Host", "Upgrade"));
    return names;
  }

  /** The TLS context of a client whose hosts are all http: any use of it fails. */
  static final class NoTls extends SSLContext {
    NoTls() {
      super(new Refusing(), null, "none");
    }

    private static final class Refusing extends SSLContextSpi {
      private static UnsupportedOperationException refused() {
        return new UnsupportedOperationException("TLS is off: every host of this client is http");
      }

      @Override
      protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
        throw refused();
      }

      @Override
      protected SSLSocketFactory engineGetSocketFactory() {
        throw refused();
      }

      @Override
      protected SSLServerSocketFactory engineGetServerSocketFactory() {
        throw refused();
      }

      @Override
      protected SSLEngine engineCreateSSLEngine() {
        throw refused();
      }

      @Override
      protected SSLEngine engineCreateSSLEngine(String host, int port) {
        throw refused();
      }

      @Override
      protected SSLSessionContext engineGetServerSessionContext() {
        throw refused();
      }

      @Override
      protected SSLSessionContext engineGetClientSessionContext() {
        throw refused();
      }

      @Override
      protected SSLParameters engineGetDefaultSSLParameters() {
        throw refused();
      }

      @Override
      protected SSLParameters engineGetSupportedSSLParameters() {
        throw refused();
      }
    }
  }
}
