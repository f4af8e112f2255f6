package io.github.wechatpaypartner.exception;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A call that ended with an answer that is not a usable success: the parent of
 * {@link ServiceException} (a verified WeChat Pay error), {@link GatewayException} (an unsigned
 * error from something in between) and {@link ResponseVerificationException} (an answer that failed
 * its signature checks). It holds what every answer has: status, {@code Request-ID},
 * {@code Retry-After} and an excerpt of the body, at most {@link #MAX_BODY_EXCERPT} bytes, so an
 * exception never holds a hostile answer whole.
 */
public abstract class ResponseException extends WechatPayException {
  private static final long serialVersionUID = 1L;

  /** The most body bytes an exception keeps (64 KiB; WeChat Pay's error objects are far smaller). */
  public static final int MAX_BODY_EXCERPT = 64 * 1024;

  private final int statusCode;
  private final String requestId;
  private final transient Duration retryAfter;
  private final byte[] bodyExcerpt;
  private final boolean bodyTruncated;

  protected ResponseException(String message, Throwable cause, String operationId,
      List<Attempt> attempts, Answer answer) {
    super(message, cause, operationId, attempts);
    this.statusCode = answer.statusCode;
    this.requestId = answer.requestId;
    this.retryAfter = answer.retryAfter;
    byte[] body = answer.body == null ? new byte[0] : answer.body;
    this.bodyTruncated = body.length > MAX_BODY_EXCERPT;
    this.bodyExcerpt = Arrays.copyOf(body, Math.min(body.length, MAX_BODY_EXCERPT));
  }

  /** HTTP status of the answer. */
  public int statusCode() {
    return statusCode;
  }

  /** The answer's {@code Request-ID} (quote it to WeChat Pay support), or {@code null}. */
  public String requestId() {
    return requestId;
  }

  /** The wait the answer's {@code Retry-After} asked for, when it had one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The body as received, cut to {@link #MAX_BODY_EXCERPT} bytes (see {@link #rawBodyTruncated()}). */
  public byte[] rawBody() {
    return bodyExcerpt.clone();
  }

  /** {@link #rawBody()} as UTF-8 text. */
  public String rawBodyText() {
    return new String(bodyExcerpt, StandardCharsets.UTF_8);
  }

  /** True when the body was longer than the excerpt kept. */
  public boolean rawBodyTruncated() {
    return bodyTruncated;
  }

  /** What an answer-carrying exception is made from; {@code body} is cut to the excerpt. */
  public static final class Answer {
    final int statusCode;
    final String requestId;
    final Duration retryAfter;
    final byte[] body;

    /** @param retryAfter the parsed {@code Retry-After}, or {@code null} */
    public Answer(int statusCode, String requestId, Duration retryAfter, byte[] body) {
      this.statusCode = statusCode;
      this.requestId = requestId;
      this.retryAfter = retryAfter;
      this.body = body;
    }

    public int statusCode() {
      return statusCode;
    }

    public String requestId() {
      return requestId;
    }
  }
}
