package io.github.wechatpaypartner.client.resilience;

import io.github.wechatpaypartner.client.hook.Exchange;
import io.github.wechatpaypartner.client.hook.IncomingResponse;
import io.github.wechatpaypartner.client.hook.OutgoingRequest;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An exchange without network: each call takes the next scripted outcome, an answer
 * ({@link #status}) or an exception to throw (or to fail the future with), and records the
 * request it was given. For failures a socket cannot produce on demand (connect timeout).
 */
final class ScriptedExchange implements Exchange {

  /** A scripted answer: status and header name/value pairs. */
  static final class Status {
    final int code;
    final Map<String, List<String>> headers;

    Status(int code, Map<String, List<String>> headers) {
      this.code = code;
      this.headers = headers;
    }
  }

  static Status status(int code, String... headerPairs) {
    Map<String, List<String>> h = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < headerPairs.length; i += 2) {
      h.put(headerPairs[i], List.of(headerPairs[i + 1]));
    }
    return new Status(code, h);
  }

  private final List<Object> script;
  private final List<OutgoingRequest> seen = new ArrayList<>();

  ScriptedExchange(Object... script) {
    this.script = Arrays.asList(script);
  }

  synchronized List<OutgoingRequest> seen() {
    return List.copyOf(seen);
  }

  private synchronized Object next(OutgoingRequest request) {
    seen.add(request);
    if (seen.size() > script.size()) {
      throw new AssertionError("no scripted outcome left for attempt " + seen.size());
    }
    return script.get(seen.size() - 1);
  }

  private static IncomingResponse toResponse(OutgoingRequest request, Status s) {
    return new IncomingResponse(request, s.code, HttpHeaders.of(s.headers, (k, v) -> true), new byte[0]);
  }

  @Override
  public IncomingResponse execute(OutgoingRequest request) throws IOException, InterruptedException {
    Object o = next(request);
    if (o instanceof IOException) {
      throw (IOException) o;
    }
    if (o instanceof InterruptedException) {
      throw (InterruptedException) o;
    }
    if (o instanceof RuntimeException) {
      throw (RuntimeException) o;
    }
    return toResponse(request, (Status) o);
  }

  @Override
  public CompletableFuture<IncomingResponse> executeAsync(OutgoingRequest request) {
    Object o = next(request);
    if (o instanceof CompletableFuture) {
      @SuppressWarnings("unchecked")
      CompletableFuture<IncomingResponse> f = (CompletableFuture<IncomingResponse>) o;
      return f;
    }
    if (o instanceof Throwable) {
      return CompletableFuture.failedFuture((Throwable) o);
    }
    return CompletableFuture.completedFuture(toResponse(request, (Status) o));
  }
}
