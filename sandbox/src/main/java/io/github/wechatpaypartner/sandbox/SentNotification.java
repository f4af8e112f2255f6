package io.github.wechatpaypartner.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A notification the sandbox sent (or would have sent, without a notify URL), with each attempt and the receiver's answer. */
public final class SentNotification {
  /** The envelope's {@code id}: the same on every attempt. */
  public final String id;
  public final String eventType;
  /** What {@code resource.ciphertext} decrypts to. */
  public final JsonNode resource;
  /** The envelope as sent (the signed bytes). */
  public final String body;
  /** Where it was sent; null when no notify URL was set. */
  public final URI url;
  /** What in the envelope or the resource breaks the spec's schemas; empty when they conform. */
  public final List<String> violations;
  /** What made it: {@code createDeliveryPlan (out_request_no X)}, with the fault the call met, or the control plane; null when unknown. */
  public final String cause;
  /** The {@link #id} of the notification this one delivers again, or null for a first delivery. */
  public final String duplicateOf;
  private final List<Attempt> attempts = new ArrayList<>();
  private boolean finished;

  SentNotification(String id, String eventType, JsonNode resource, String body, URI url, List<String> violations,
      String cause, String duplicateOf) {
    this.cause = cause;
    this.duplicateOf = duplicateOf;
    this.id = id;
    this.eventType = eventType;
    this.resource = resource;
    this.body = body;
    this.url = url;
    this.violations = List.copyOf(violations);
    this.finished = url == null;
  }

  /** Every attempt so far, the first one first. */
  public synchronized List<Attempt> attempts() {
    return List.copyOf(attempts);
  }

  /** True once a receiver answered 2xx. */
  public synchronized boolean delivered() {
    return attempts.stream().anyMatch(a -> a.status >= 200 && a.status < 300);
  }

  /** True once delivered, or out of retries, or never to be sent (no notify URL). */
  public synchronized boolean finished() {
    return finished;
  }

  synchronized void add(Attempt attempt, boolean last) {
    attempts.add(attempt);
    finished = last;
    notifyAll();
  }

  @Override
  public synchronized String toString() {
    return eventType + " " + id + (duplicateOf == null ? "" : " (again)") + (cause == null ? "" : " after " + cause)
        + (url == null ? " (no notify URL: not sent)" : " to " + url + " " + attempts);
  }

  /** One POST of the notification and what came back. */
  public static final class Attempt {
    /** 1 for the first send, 2 for the first resend... */
    public final int number;
    public final Instant sent;
    /** The receiver's HTTP status, or 0 when none came (see {@link #error}). */
    public final int status;
    public final String answer;
    /** Why no status came (connection refused, timeout), or null. */
    public final String error;

    Attempt(int number, Instant sent, int status, String answer, String error) {
      this.number = number;
      this.sent = sent;
      this.status = status;
      this.answer = answer;
      this.error = error;
    }

    @Override
    public String toString() {
      return "#" + number + " " + (error != null ? error : "HTTP " + status);
    }
  }
}
