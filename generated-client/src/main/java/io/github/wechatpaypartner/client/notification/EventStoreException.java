package io.github.wechatpaypartner.client.notification;

import io.github.wechatpaypartner.exception.WechatPayException;

/**
 * The event store could not be reached and is configured to refuse rather than run the handler
 * without the shared record. {@link NotificationHandler} answers the delivery with a 5xx, so the
 * service delivers the event again later.
 */
public class EventStoreException extends WechatPayException {
  private static final long serialVersionUID = 1L;

  public EventStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
