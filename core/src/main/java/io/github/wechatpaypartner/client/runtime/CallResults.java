package io.github.wechatpaypartner.client.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.exception.Attempt;
import io.github.wechatpaypartner.exception.GatewayException;
import io.github.wechatpaypartner.exception.ProbablyProcessedException;
import io.github.wechatpaypartner.exception.ResponseException;
import io.github.wechatpaypartner.exception.ResponseTooLargeException;
import io.github.wechatpaypartner.exception.ResponseVerificationException;
import io.github.wechatpaypartner.exception.ServiceException;
import io.github.wechatpaypartner.exception.TransportException;
import io.github.wechatpaypartner.exception.UnreadableResponseException;
import io.github.wechatpaypartner.exception.VerificationCheck;
import io.github.wechatpaypartner.exception.WechatPayException;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a call ends with: its answer, read from the last verified 2xx, or its exception, built once
 * from the last {@link Outcome} and every attempt.
 */
final class CallResults {
  private CallResults() {
  }

  /** The verified 2xx read as the answer's model ({@code null} for an answer type {@code Void}). */
  static <T> T answer(IncomingResponse response, Class<T> type, ObjectMapper mapper, String operationId,
      String describe, List<Attempt> attempts) {
    if (type == Void.class) {
      return null;
    }
    Exception cause = null;
    try {
      T value = mapper.readValue(response.body(), type);
      if (value != null) {
        return value;
      }
    } catch (IOException e) {
      cause = e;
    }
    throw new UnreadableResponseException(describe + ": the verified HTTP " + response.statusCode()
        + " answer (Request-ID " + response.requestId() + ") is not a " + type.getSimpleName()
        + (cause == null ? " (its body is empty or null)" : ": " + cause.getMessage())
        + "; the request was processed", cause, operationId, attempts, new ResponseException.Answer(
            response.statusCode(), response.requestId(), null, response.body()));
  }

  static WechatPayException failure(Outcome last, String operationId, String describe, String stopReason,
      List<Attempt> attempts, List<IOException> ioFailures, ObjectMapper mapper) {
    IncomingResponse response = last.response().orElse(null);
    if (response == null) {
      return transport(last.failure().orElseThrow(), operationId, describe, stopReason, attempts, ioFailures);
    }
    ResponseException.Answer answer = new ResponseException.Answer(response.statusCode(),
        response.requestId(), last.retryAfter().orElse(null), response.body());
    switch (last.kind()) {
      case GATEWAY_ERROR:
        return new GatewayException(operationId, attempts, answer, response.request().uri().getRawAuthority());
      case SERVICE_ERROR:
        return serviceError(response, operationId, attempts, answer, mapper);
      default:
        Verdict v = response.verdict();
        return v.kind() == Verdict.Kind.FAILED
            ? new ResponseVerificationException(v.check(), v.detail(), operationId, attempts, answer)
            : new ResponseVerificationException(VerificationCheck.NOT_CHECKED, "the answer did not"
                + " come through the client's verification step (" + v.kind() + ")", operationId,
                attempts, answer);
    }
  }

  private static TransportException transport(IOException last, String operationId, String describe,
      String stopReason, List<Attempt> attempts, List<IOException> ioFailures) {
    String message = describe + ": no answer, " + stopReason + " (last: " + last + ")";
    TransportException e = last instanceof AnswerTooLargeException
        ? new ResponseTooLargeException(message, last, operationId, attempts, ((AnswerTooLargeException) last).limit())
        : new TransportException(message, last, operationId, attempts);
    for (IOException earlier : ioFailures) {
      if (earlier != last) {
        e.addSuppressed(earlier);
      }
    }
    return e;
  }

  /** The spec's error object ({@code code}, {@code message}, {@code detail}) when the body is one. */
  private static ServiceException serviceError(IncomingResponse response, String operationId,
      List<Attempt> attempts, ResponseException.Answer answer, ObjectMapper mapper) {
    String code = null;
    String message = null;
    Map<String, Object> detail = Map.of();
    try {
      JsonNode root = response.body().length == 0 ? null : mapper.readTree(response.body());
      if (root != null && root.isObject()) {
        code = root.path("code").isTextual() ? root.get("code").asText() : null;
        message = root.path("message").isTextual() ? root.get("message").asText() : null;
        if (root.path("detail").isObject()) {
          @SuppressWarnings("unchecked")
          Map<String, Object> parsed = mapper.convertValue(root.get("detail"), LinkedHashMap.class);
          detail = Collections.unmodifiableMap(parsed);
        }
      }
    } catch (IOException notJson) {
      // Not an error object: the body excerpt stays available on the exception.
    }
    if ("ALREADY_EXISTS".equals(code) && earlierAttemptMayHaveBeenProcessed(attempts)) {
      return new ProbablyProcessedException(operationId, attempts, answer, code, message, detail);
    }
    return new ServiceException(operationId, attempts, answer, code, message, detail);
  }

  /** An attempt before the last got no trustworthy answer: a 5xx or a timeout. */
  private static boolean earlierAttemptMayHaveBeenProcessed(List<Attempt> attempts) {
    for (int i = 0; i < attempts.size() - 1; i++) {
      Attempt a = attempts.get(i);
      if (a.outcome() == Attempt.Outcome.TIMED_OUT
          || a.statusCode().isPresent() && a.statusCode().getAsInt() >= 500) {
        return true;
      }
    }
    return false;
  }
}
