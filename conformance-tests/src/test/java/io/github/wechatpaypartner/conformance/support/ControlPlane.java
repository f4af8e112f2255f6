package io.github.wechatpaypartner.conformance.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Calls of a sandbox's control plane ({@code /sandbox/v1/...}) as any HTTP client makes them: plain JSON over HTTP. */
public final class ControlPlane {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final URI base;
  private final String token;

  public ControlPlane(URI sandbox, String token) {
    this.base = URI.create(sandbox + "/sandbox/v1");
    this.token = token;
  }

  public Answer call(String method, String path, String jsonBody) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
    if (jsonBody != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return new Answer(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Status and body of a control-plane answer. */
  public static final class Answer {
    public final int status;
    public final String body;
    public final String contentType;

    Answer(HttpResponse<String> response) {
      this.status = response.statusCode();
      this.body = response.body();
      this.contentType = response.headers().firstValue("Content-Type").orElse("");
    }

    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + body, e);
      }
    }

    @Override
    public String toString() {
      return "HTTP " + status + " " + body;
    }
  }
}
