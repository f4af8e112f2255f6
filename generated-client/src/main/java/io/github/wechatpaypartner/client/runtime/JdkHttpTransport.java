package io.github.wechatpaypartner.client.runtime;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The default {@link Transport}: one {@link HttpClient} round trip, the body sent from the very
 * array that was signed, the answer read whole as bytes.
 */
public final class JdkHttpTransport implements Transport {
  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED = restricted();

  private final HttpClient httpClient;

  public JdkHttpTransport(HttpClient httpClient) {
    this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
  }

  /** A transport on {@link #newHttpClient(Duration)}. */
  public static JdkHttpTransport withConnectTimeout(Duration connectTimeout) {
    return new JdkHttpTransport(newHttpClient(connectTimeout));
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
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .executor(Runnable::run);
    if (connectTimeout != null) {
      builder.connectTimeout(connectTimeout);
    }
    return builder.build();
  }

  @Override
  public IncomingResponse send(OutgoingRequest request, Duration timeout)
      throws IOException, InterruptedException {
    byte[] body = request.body();
    HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
        .method(request.method(), body.length == 0 && !"POST".equals(request.method())
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    request.headers().forEach((name, value) -> {
      if (!RESTRICTED.contains(name)) {
        builder.setHeader(name, value);
      }
    });
    if (timeout != null) {
      builder.timeout(timeout);
    }
    HttpResponse<byte[]> response = httpClient.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new IncomingResponse(request, response.statusCode(), response.headers(), response.body());
  }

  @Override
  public String toString() {
    return "JdkHttpTransport[" + httpClient.version() + "]";
  }

  private static Set<String> restricted() {
    Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    names.addAll(Set.of("Connection", "Content-Length", "Expect", "Host", "Upgrade"));
    return names;
  }
}
