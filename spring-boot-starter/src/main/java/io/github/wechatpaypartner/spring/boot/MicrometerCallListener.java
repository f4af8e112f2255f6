package io.github.wechatpaypartner.spring.boot;

import io.github.wechatpaypartner.client.runtime.CallListener;
import io.github.wechatpaypartner.client.runtime.Operation;
import io.github.wechatpaypartner.exception.Attempt;
import io.github.wechatpaypartner.exception.ServiceException;
import io.github.wechatpaypartner.exception.WechatPayException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The client's calls and attempts as Micrometer timers (a timer also counts), tagged by merchant,
 * operation, outcome and WeChat Pay error code, never by an id (no Request-ID, no
 * {@code out_request_no}), so the tags stay few:
 *
 * <ul>
 *   <li>{@value #CALLS}: one per call; {@code outcome} is {@code success} or the exception's simple
 *       name, {@code retried} whether it took more than one attempt;
 *   <li>{@value #ATTEMPTS}: one per attempt; {@code host}, {@code status}, {@code outcome} (answered,
 *       retryable_status, unreachable, timed_out, failed) and {@code wait}, why it waited first
 *       (none, backoff, retry_after, failover): retries and failovers are counted here.
 * </ul>
 *
 * The Request-ID of every attempt is in the client's DEBUG log
 * ({@code logging.level.io.github.wechatpaypartner.client.runtime=DEBUG}).
 */
public final class MicrometerCallListener implements CallListener {
  public static final String CALLS = "wechatpay.client.calls";
  public static final String ATTEMPTS = "wechatpay.client.attempts";
  private static final String NONE = "none";

  private final MeterRegistry registry;
  private final String merchant;

  public MicrometerCallListener(MeterRegistry registry, String merchant) {
    this.registry = registry;
    this.merchant = merchant;
  }

  @Override
  public void attemptEnded(Operation operation, Attempt attempt) {
    Timer.builder(ATTEMPTS).description("Attempts of WeChat Pay calls, by what came back")
        .tags(Tags.of("merchant", merchant, "operation", operation.id(), "host", attempt.host(),
            "status", attempt.statusCode().isPresent() ? String.valueOf(attempt.statusCode().getAsInt()) : NONE,
            "outcome", attempt.outcome().name().toLowerCase(Locale.ROOT),
            "error_code", attempt.errorCode() == null ? NONE : attempt.errorCode(),
            "wait", attempt.waitReason().name().toLowerCase(Locale.ROOT)))
        .register(registry).record(attempt.latency());
  }

  @Override
  public void callEnded(Operation operation, List<Attempt> attempts, Duration duration,
      WechatPayException failure) {
    String code = failure instanceof ServiceException && ((ServiceException) failure).errorCode() != null
        ? ((ServiceException) failure).errorCode() : NONE;
    Timer.builder(CALLS).description("WeChat Pay calls, retries and waits included")
        .tags(Tags.of("merchant", merchant, "operation", operation.id(),
            "outcome", failure == null ? "success" : failure.getClass().getSimpleName(),
            "error_code", code, "retried", String.valueOf(attempts.size() > 1)))
        .register(registry).record(duration);
  }
}
