package io.github.wechatpaypartner.client.notification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.client.model.NotificationAnswer;
import io.github.wechatpaypartner.client.runtime.TimeSource;
import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import io.github.wechatpaypartner.exception.NotificationException;
import io.github.wechatpaypartner.exception.NotificationVerificationException;
import io.github.wechatpaypartner.signing.notification.Notification;
import io.github.wechatpaypartner.signing.notification.NotificationParser;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Handles each delivery of a WeChat Pay callback and runs the application's action once per event
 * id, however often and on whichever instance the service delivers the event: verify and decrypt
 * ({@link NotificationParser}), claim the event id in the {@link EventStore}, run the action, mark
 * the event done, and tell the caller what to answer.
 *
 * <pre>{@code
 * NotificationHandler handler = client.notificationHandler(new InMemoryEventStore());
 * // in the web endpoint, for each POST:
 * NotificationHandler.Answer answer = handler.handle(request::getHeader, bodyBytes,
 *     event -> grantCoupon(event.resourceAs(ProductCouponSend.class)));
 * response.setStatus(answer.status());
 * response.setContentType("application/json");
 * response.getOutputStream().write(answer.body());
 * }</pre>
 *
 * <ul>
 *   <li>First delivery: the action runs; done, it is answered 200 {@code SUCCESS}.
 *   <li>A duplicate of a handled event: answered 200 {@code SUCCESS}, the action does not run.
 *   <li>A duplicate arriving while the first delivery still runs: waits up to {@link
 *       Builder#duplicateWait} for that run to end. Done: 200. Failed: this delivery runs the
 *       action itself. Still running: 200 (the first run answers for the event), or 503 with
 *       {@link Builder#deferDuplicatesInProgress()}.
 *   <li>The action throws: the claim is released (the event is not marked done) and the delivery
 *       is answered 500 {@code FAIL}, so the service's next delivery runs the action again.
 *   <li>Signature, timestamp or format refused: 401 or 400 {@code FAIL}; nothing runs.
 *   <li>The store refuses (a shared store that cannot be reached, configured to fail closed): 503
 *       {@code FAIL}; nothing runs, the service delivers again later.
 * </ul>
 *
 * <p>Thread-safe; its settings are fixed when built. Answers never carry the body, key material or
 * the action's exception text. Nothing is printed by default: every delivery is logged through
 * {@code System.Logger} at DEBUG only (anyone may POST to the endpoint, so a refused callback must
 * not cost a line of output each), and {@link Answer#cause()} hands the application the exception
 * behind a refused or failed delivery to log as it sees fit. {@link #refusedCount()} counts the
 * refused callbacks for metrics.
 */
public final class NotificationHandler {
  private static final System.Logger LOG = System.getLogger(NotificationHandler.class.getName());
  private static final ObjectMapper JSON = WechatPayJson.newObjectMapper();
  private static final long POLL_NANOS = Duration.ofMillis(50).toNanos();

  private final NotificationParser parser;
  private final EventStore store;
  private final Duration lease;
  private final Duration retention;
  private final Duration duplicateWait;
  private final boolean deferDuplicatesInProgress;
  private final TimeSource time;
  private final LongAdder refused = new LongAdder();

  private NotificationHandler(Builder b) {
    this.parser = b.parser;
    this.store = b.store;
    this.lease = b.lease;
    this.retention = b.retention;
    this.duplicateWait = b.duplicateWait;
    this.deferDuplicatesInProgress = b.deferDuplicatesInProgress;
    this.time = b.time;
  }

  /** A handler on {@code parser} (e.g. {@code client.notificationParser().orElseThrow()}). */
  public static Builder builder(NotificationParser parser) {
    return new Builder(parser);
  }

  /** What the action does with a verified, decrypted event. Throwing means "not handled". */
  @FunctionalInterface
  public interface Action {
    void run(Notification event) throws Exception;
  }

  /** @param headers e.g. a servlet's {@code request::getHeader} (case-insensitive) */
  public Answer handle(Function<String, String> headers, byte[] body, Action action) {
    Objects.requireNonNull(headers, "headers");
    return handle(() -> parser.parse(headers, body), action);
  }

  /** @param headers header name to value; looked up without regard to case */
  public Answer handle(Map<String, String> headers, byte[] body, Action action) {
    Objects.requireNonNull(headers, "headers");
    return handle(() -> parser.parse(headers, body), action);
  }

  private Answer handle(Supplier<Notification> parse, Action action) {
    Objects.requireNonNull(action, "action");
    Notification event;
    try {
      event = parse.get();
    } catch (NotificationVerificationException e) {
      return refuse(e, 401, "signature verification failed");
    } catch (NotificationException e) {
      return refuse(e, 400, "notification could not be read");
    }
    String id = event.id();
    String owner = UUID.randomUUID().toString();
    try {
      EventStore.Claim claim = claimOrWait(id, owner);
      if (claim == EventStore.Claim.DONE) {
        LOG.log(Level.DEBUG, () -> "Duplicate of handled " + event + ": answered without running");
        return Answer.success(Outcome.DUPLICATE, id);
      }
      if (claim == EventStore.Claim.RUNNING) {
        LOG.log(Level.DEBUG, () -> "Duplicate of " + event + " while another delivery still runs it: "
            + (deferDuplicatesInProgress ? "asked for a later delivery" : "answered without running"));
        return deferDuplicatesInProgress
            ? Answer.fail(Outcome.IN_PROGRESS, id, 503, "event is being handled; deliver again later")
            : Answer.success(Outcome.IN_PROGRESS, id);
      }
    } catch (EventStoreException e) {
      LOG.log(Level.DEBUG, () -> "Event store refused " + event + ": " + e.getMessage());
      return Answer.fail(Outcome.STORE_UNAVAILABLE, id, 503, "event store unavailable; deliver again later", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.fail(Outcome.FAILED, id, 503, "interrupted; deliver again later");
    }
    return run(event, owner, action);
  }

  private Answer refuse(NotificationException e, int status, String message) {
    refused.increment();
    LOG.log(Level.DEBUG, () -> "Refused a callback: " + e.getMessage());
    return Answer.fail(Outcome.REFUSED, null, status, message, e);
  }

  /**
   * How many deliveries this handler refused ({@link Outcome#REFUSED}: signature, timestamp,
   * serial, format or decryption) since it was built; for a metrics gauge or counter.
   */
  public long refusedCount() {
    return refused.sum();
  }

  /** Claims the event; while another delivery runs it, polls until that run ends or the wait is over. */
  private EventStore.Claim claimOrWait(String id, String owner) throws InterruptedException {
    long deadline = time.nanoTime() + duplicateWait.toNanos();
    EventStore.Claim claim = store.claim(id, owner, lease);
    while (claim == EventStore.Claim.RUNNING && deadline - time.nanoTime() > 0) {
      time.sleep(Duration.ofNanos(Math.min(POLL_NANOS, deadline - time.nanoTime())));
      claim = store.claim(id, owner, lease);
    }
    return claim;
  }

  private Answer run(Notification event, String owner, Action action) {
    String id = event.id();
    boolean done = false;
    try {
      action.run(event);
      done = true;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.log(Level.DEBUG, () -> "The action failed for " + event + "; released for the next delivery", e);
      return Answer.fail(Outcome.FAILED, id, 500, "handling failed; deliver again later", e);
    } finally {
      // An Error escapes after the release, too: the event is not done.
      settle(event, owner, done);
    }
    return Answer.success(Outcome.HANDLED, id);
  }

  private void settle(Notification event, String owner, boolean done) {
    try {
      if (done) {
        store.markDone(event.id(), owner, retention);
      } else {
        store.release(event.id(), owner);
      }
    } catch (RuntimeException e) {
      // The action's outcome stands; the claim lapses with its lease.
      LOG.log(Level.DEBUG, () -> "Could not record " + event + " as " + (done ? "done" : "released")
          + " in " + store + "; its claim lapses after " + lease, e);
    }
  }

  @Override
  public String toString() {
    return "NotificationHandler[" + store + ", lease=" + lease + ", retention=" + retention
        + ", duplicateWait=" + duplicateWait + "]";
  }

  /** What became of a delivery. */
  public enum Outcome {
    /** The action ran and succeeded. */
    HANDLED,
    /** The event was handled before; the action did not run. */
    DUPLICATE,
    /** Another delivery was still running the action; this one did not. */
    IN_PROGRESS,
    /** The action threw; the event stays open for the next delivery. */
    FAILED,
    /** Not a valid callback (signature, timestamp, serial, format, decryption). */
    REFUSED,
    /** The event store refused; nothing ran. */
    STORE_UNAVAILABLE
  }

  /** The HTTP answer to send for a delivery: status and the spec's {@code NotificationAnswer} JSON. */
  public static final class Answer {
    private final Outcome outcome;
    private final String eventId;
    private final int status;
    /** The spec's {@code NotificationAnswer}: SUCCESS with 2xx, FAIL with 4xx/5xx. */
    private final Object answer;
    private final String code;
    private final String message;
    private final Exception cause;

    private Answer(Outcome outcome, String eventId, int status, Object answer, String code, String message,
        Exception cause) {
      this.outcome = outcome;
      this.eventId = eventId;
      this.status = status;
      this.answer = answer;
      this.code = code;
      this.message = message;
      this.cause = cause;
    }

    static Answer success(Outcome outcome, String eventId) {
      return new Answer(outcome, eventId, 200,
          new NotificationAnswer().code(NotificationAnswer.CodeEnum.SUCCESS).message("OK"), "SUCCESS", "OK", null);
    }

    static Answer fail(Outcome outcome, String eventId, int status, String message) {
      return fail(outcome, eventId, status, message, null);
    }

    static Answer fail(Outcome outcome, String eventId, int status, String message, Exception cause) {
      return new Answer(outcome, eventId, status,
          new NotificationAnswer().code(NotificationAnswer.CodeEnum.FAIL).message(message), "FAIL", message, cause);
    }

    /**
     * What refused or failed this delivery: the {@code NotificationException} of a {@link
     * Outcome#REFUSED} callback, the action's exception ({@link Outcome#FAILED}), the store's
     * ({@link Outcome#STORE_UNAVAILABLE}); empty otherwise. Never part of {@link #body()}.
     */
    public Optional<Exception> cause() {
      return Optional.ofNullable(cause);
    }

    public Outcome outcome() {
      return outcome;
    }

    /** The event id, or {@code null} when the callback was refused before it could be read. */
    public String eventId() {
      return eventId;
    }

    /** The HTTP status: 2xx tells the service the event is handled, anything else asks it to deliver again. */
    public int status() {
      return status;
    }

    /** {@code true} for a 2xx. */
    public boolean success() {
      return status / 100 == 2;
    }

    /** {@code SUCCESS} with a 2xx, {@code FAIL} otherwise (the pages' 应答规范). */
    public String code() {
      return code;
    }

    /** {@code OK}, or why the delivery failed (never the action's exception text). */
    public String message() {
      return message;
    }

    /** {@code {"code":..., "message":...}} as UTF-8 JSON, the body to send with {@code Content-Type: application/json}. */
    public byte[] body() {
      try {
        return JSON.writeValueAsBytes(answer);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("NotificationAnswer cannot be written as JSON", e);
      }
    }

    @Override
    public String toString() {
      return "Answer[" + status + " " + outcome + (eventId == null ? "" : ", event " + eventId) + "]";
    }
  }

  /** Settings of a handler. Not thread-safe; the handler it builds is. */
  public static final class Builder {
    private final NotificationParser parser;
    private EventStore store;
    private Duration lease = Duration.ofMinutes(2);
    private Duration retention = Duration.ofHours(24);
    private Duration duplicateWait = Duration.ofSeconds(2);
    private boolean deferDuplicatesInProgress;
    private TimeSource time = TimeSource.SYSTEM;

    private Builder(NotificationParser parser) {
      this.parser = Objects.requireNonNull(parser, "parser");
    }

    /** Where event ids are recorded (default: a new {@link InMemoryEventStore}, this process only). */
    public Builder store(EventStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * How long a delivery holds an event while its action runs (default 2 min). Must exceed the
     * action's longest run: past it, another delivery may run the action too. A claim of an
     * instance that died lapses after it, and the next delivery runs the action.
     */
    public Builder lease(Duration lease) {
      this.lease = positive(lease, "lease");
      return this;
    }

    /**
     * How long a handled event is remembered (default 24 h, longer than the service's resend
     * schedule): a duplicate after it would run the action again.
     */
    public Builder retention(Duration retention) {
      this.retention = positive(retention, "retention");
      return this;
    }

    /** How long a duplicate waits for a delivery that still runs the action (default 2 s; zero: no wait). */
    public Builder duplicateWait(Duration wait) {
      this.duplicateWait = notNegative(wait, "duplicateWait");
      return this;
    }

    /**
     * Answers 503 rather than 200 to a duplicate whose first delivery is still running after
     * {@link #duplicateWait}, so the service delivers it again later: nothing is lost if that run
     * then fails or its instance dies, at the cost of another delivery.
     */
    public Builder deferDuplicatesInProgress() {
      this.deferDuplicatesInProgress = true;
      return this;
    }

    /** Where the duplicate wait reads the time and sleeps (tests). */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    public NotificationHandler build() {
      if (store == null) {
        store = new InMemoryEventStore();
      }
      return new NotificationHandler(this);
    }

    private static Duration positive(Duration d, String name) {
      if (notNegative(d, name).isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }

    private static Duration notNegative(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, got " + d);
      }
      return d;
    }
  }
}
