package io.github.wechatpaypartner.sandbox;

import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One request the sandbox received and what it did with it. Immutable. */
public final class RecordedExchange {
  private static final ObjectMapper JSON = WechatPayJson.newObjectMapper();

  /** Answered with no status (the connection was closed). */
  public static final int NO_ANSWER = 0;

  /** 1, 2, 3... in arrival order. */
  public final long sequence;
  public final Instant received;
  /** The operation the path names, or null for a path the spec does not serve. */
  public final String operationId;
  public final String method;
  public final String path;
  /** Raw query or null. */
  public final String query;
  /** Case-insensitive names. */
  public final Map<String, List<String>> requestHeaders;
  public final byte[] requestBody;
  /** The fault this request met ({@link Fault#toString()} form), or null. */
  public final String fault;
  /** Why the service refused the request ({@code SIGN_ERROR: ...}, {@code PARAM_ERROR: ...}), or null when it processed it. */
  public final String refusal;
  /** What happened on the way back (the client left before a slow answer), or null. */
  public final String note;
  /** HTTP status sent, or {@link #NO_ANSWER}. */
  public final int status;
  public final Map<String, List<String>> responseHeaders;
  public final byte[] responseBody;
  /** What in the answer breaks the spec's response schema; empty when it conforms (or is a gateway's HTML). */
  public final List<String> answerViolations;
  /** Bytes the request body had; more than {@code requestBody.length} when the record kept only its start. */
  public final int requestBodyLength;

  RecordedExchange(long sequence, Instant received, String operationId, String method, String path, String query,
      Map<String, List<String>> requestHeaders, byte[] requestBody, String fault, String refusal, int status,
      Map<String, List<String>> responseHeaders, byte[] responseBody, List<String> answerViolations) {
    this(sequence, received, operationId, method, path, query, requestHeaders, requestBody, fault, refusal, status,
        responseHeaders, responseBody, answerViolations, null);
  }

  private RecordedExchange(long sequence, Instant received, String operationId, String method, String path,
      String query, Map<String, List<String>> requestHeaders, byte[] requestBody, String fault, String refusal,
      int status, Map<String, List<String>> responseHeaders, byte[] responseBody, List<String> answerViolations,
      String note) {
    this.sequence = sequence;
    this.received = received;
    this.operationId = operationId;
    this.method = method;
    this.path = path;
    this.query = query;
    this.requestHeaders = requestHeaders;
    this.requestBody = requestBody;
    this.fault = fault;
    this.refusal = refusal;
    this.status = status;
    this.responseHeaders = responseHeaders;
    this.responseBody = responseBody;
    this.answerViolations = List.copyOf(answerViolations);
    this.note = note;
    this.requestBodyLength = requestBody.length;
  }

  private RecordedExchange(RecordedExchange whole, byte[] keptBody) {
    this.sequence = whole.sequence;
    this.received = whole.received;
    this.operationId = whole.operationId;
    this.method = whole.method;
    this.path = whole.path;
    this.query = whole.query;
    this.requestHeaders = whole.requestHeaders;
    this.requestBody = keptBody;
    this.fault = whole.fault;
    this.refusal = whole.refusal;
    this.status = whole.status;
    this.responseHeaders = whole.responseHeaders;
    this.responseBody = whole.responseBody;
    this.answerViolations = whole.answerViolations;
    this.note = whole.note;
    this.requestBodyLength = whole.requestBodyLength;
  }

  /** This exchange with at most {@code max} bytes of the request body kept (a refused request's body is not worth more). */
  RecordedExchange truncated(int max) {
    return requestBody.length <= max ? this : new RecordedExchange(this, java.util.Arrays.copyOf(requestBody, max));
  }

  /** The {@code Request-ID} the answer carried, or null (a gateway's answer, a dropped connection). */
  public String requestId() {
    return responseHeader("Request-ID");
  }

  /** The same exchange with {@link #note} set. */
  RecordedExchange withNote(String text) {
    return new RecordedExchange(sequence, received, operationId, method, path, query, requestHeaders, requestBody,
        fault, refusal, status, responseHeaders, responseBody, answerViolations, text);
  }

  /** The first value of a request header, or null. */
  public String header(String name) {
    List<String> values = requestHeaders.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The first value of an answer header, or null. */
  public String responseHeader(String name) {
    List<String> values = responseHeaders.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public String requestBodyText() {
    return new String(requestBody, StandardCharsets.UTF_8);
  }

  public String responseBodyText() {
    return new String(responseBody, StandardCharsets.UTF_8);
  }

  /** The {@code out_request_no} the request body carries, or null. */
  public String outRequestNo() {
    return outRequestNoOf(requestBody);
  }

  /** The {@code out_request_no} of a request body, or null (none, or not JSON). */
  static String outRequestNoOf(byte[] requestBody) {
    try {
      JsonNode value = JSON.readTree(requestBody).path("out_request_no");
      return value.isTextual() ? value.asText() : null;
    } catch (IOException notJson) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "#" + sequence + " " + method + " " + path + (query == null ? "" : "?" + query)
        + (operationId == null ? "" : " (" + operationId + ")")
        + (fault == null ? "" : " fault " + fault)
        + " -> " + (status == NO_ANSWER ? "no answer" : Integer.toString(status))
        + (refusal == null ? "" : " [" + refusal + "]")
        + (note == null ? "" : " (" + note + ")")
        + (answerViolations.isEmpty() ? "" : " ANSWER OFF-SPEC " + answerViolations);
  }
}
