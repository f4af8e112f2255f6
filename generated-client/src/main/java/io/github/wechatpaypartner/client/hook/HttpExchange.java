package io.github.wechatpaypartner.client.hook;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The default {@link Exchange}: one {@link java.net.http.HttpClient} round trip per call.
 *
 * <p>Per attempt: calls the {@link RequestHook} with the request (exact body bytes), sends those
 * same bytes with the hook's headers plus {@code Accept}, {@code Content-Type} and
 * {@code User-Agent}, reads the whole answer as bytes and hands it to the {@link ResponseHook}
 * before anyone deserializes it. Retries and failover belong in decorators around this class.
 */
public final class HttpExchange implements Exchange {
  private static final String JSON = "application/json";

  private final HttpClient httpClient;
  private final RequestHook requestHook;
  private final ResponseHook responseHook;
  private final Duration requestTimeout;
  private final String userAgent;

  /**
   * @param requestTimeout timeout of each request ({@code null}: none; the connect timeout is the
   *     HttpClient's)
   */
  public HttpExchange(HttpClient httpClient, RequestHook requestHook, ResponseHook responseHook,
      Duration requestTimeout, String userAgent) {
    this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
    this.requestHook = Objects.requireNonNull(requestHook, "requestHook");
    this.responseHook = Objects.requireNonNull(responseHook, "responseHook");
    this.requestTimeout = requestTimeout;
    this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
  }

  /**
   * The HttpClient this SDK uses by default: HTTP/1.1 and an executor that runs the client's
   * dependent steps in the thread that completes them. With the default cached pool, a blocking
   * {@code send} hands each exchange between three threads; measured on 2 cores (JMH, see
   * benchmarks/README.md) this saves 110-150 us per call, and at 20 requests/s per operation one
   * keep-alive HTTP/1.1 connection is enough.
   *
   * @param connectTimeout connect timeout ({@code null}: none)
   */
  public static HttpClient newHttpClient(Duration connectTimeout) {
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .executor(Runnable::run);
    if (connectTimeout != null) {
      builder.connectTimeout(connectTimeout);
    }
    return builder.build();
  }

  @Override
  public IncomingResponse execute(OutgoingRequest request) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = httpClient.send(toHttpRequest(request), HttpResponse.BodyHandlers.ofByteArray());
    return answer(request, response);
  }

  @Override
  public CompletableFuture<IncomingResponse> executeAsync(OutgoingRequest request) {
    HttpRequest httpRequest;
    try {
      httpRequest = toHttpRequest(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    // Async: the response hook (signature verification) and the caller's continuations run off
    // the HttpClient's threads, which may be the selector thread with a direct executor.
    return httpClient.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofByteArray())
        .thenApplyAsync(response -> answer(request, response));
  }

  private IncomingResponse answer(OutgoingRequest request, HttpResponse<byte[]> response) {
    IncomingResponse incoming = new IncomingResponse(request, response.statusCode(), response.headers(), response.body());
    responseHook.onResponse(incoming);
    return incoming;
  }

  private HttpRequest toHttpRequest(OutgoingRequest request) {
    Map<String, String> hookHeaders = requestHook.headersFor(request);
    byte[] body = request.body();
    HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
        .method(request.method(), body.length == 0 && !"POST".equals(request.method())
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Accept", JSON)
        .header("User-Agent", userAgent);
    if (body.length > 0 || "POST".equals(request.method())) {
      builder.header("Content-Type", JSON);
    }
    if (requestTimeout != null) {
      builder.timeout(requestTimeout);
    }
    if (hookHeaders != null) {
      // setHeader: a hook may replace a default (e.g. its own User-Agent), never duplicate it
      hookHeaders.forEach(builder::setHeader);
    }
    return builder.build();
  }
}
