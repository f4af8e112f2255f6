package io.github.wechatpaypartner.client.resilience;

import java.io.IOException;
import java.util.Objects;

/**
 * The call ended on an I/O failure (host unreachable, timed out, connection broken) after every
 * attempt {@link RetryingExchange} was allowed to make. It is an {@link IOException}, so the
 * generated API wraps it into its {@code ApiException} like any I/O failure; the message lists
 * every attempt (host, status or error, Request-ID, wait), and {@link #history()} has them as
 * values. The cause is the last attempt's exception.
 */
public final class RetriesExhaustedException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient AttemptHistory history;

  RetriesExhaustedException(AttemptHistory history, IOException lastFailure) {
    super(history.toString(), lastFailure);
    this.history = Objects.requireNonNull(history, "history");
  }

  public AttemptHistory history() {
    return history;
  }
}
