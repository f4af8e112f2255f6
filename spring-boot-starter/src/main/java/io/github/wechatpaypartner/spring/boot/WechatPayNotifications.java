package io.github.wechatpaypartner.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wechatpaypartner.client.notification.NotificationHandler;
import io.github.wechatpaypartner.signing.notification.Notification;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The notification side of every merchant with an APIv3 key: its endpoint path and its {@link
 * NotificationHandler} (verify, decrypt, de-duplicate by event id in the {@code EventStore} bean),
 * whose action publishes a {@link WechatPayNotificationEvent}. In a servlet web application the
 * starter maps each path itself; elsewhere call {@link #handle} from your own endpoint.
 */
public final class WechatPayNotifications {
  private final Map<String, Endpoint> endpoints;
  private final ApplicationEventPublisher publisher;

  WechatPayNotifications(Map<String, Endpoint> endpoints, ApplicationEventPublisher publisher) {
    this.endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    this.publisher = publisher;
  }

  /** One merchant's endpoint: its path, mchid and handler. */
  record Endpoint(String path, String mchid, NotificationHandler handler) {
  }

  /** Merchant name to the path of its endpoint, in the order configured. */
  public Map<String, String> paths() {
    Map<String, String> paths = new LinkedHashMap<>();
    endpoints.forEach((name, endpoint) -> paths.put(name, endpoint.path()));
    return paths;
  }

  /**
   * Handles one delivery to {@code merchant}'s endpoint: the answer's status and body are what to
   * send back ({@code 200 {"code":"SUCCESS"}} when handled or a duplicate; 4xx for a request that is
   * not WeChat Pay's; 5xx {@code FAIL} when a listener threw, so the service delivers again).
   *
   * @param headers the request's headers, looked up without regard to case
   * @param body the request body, exactly as received
   */
  public NotificationHandler.Answer handle(String merchant, Function<String, String> headers, byte[] body) {
    Endpoint endpoint = endpoints.get(merchant);
    if (endpoint == null) {
      throw new NoSuchElementException("No WeChat Pay notification endpoint for merchant '" + merchant
          + "'; configured: " + endpoints.keySet());
    }
    return endpoint.handler().handle(headers, body, event -> publish(merchant, endpoint.mchid(), event));
  }

  private void publish(String merchant, String mchid, Notification event) {
    Class<?> type = event.knownType().orElse(JsonNode.class);
    Object resource = event.knownType().isPresent() ? event.resource() : event.resourceTree();
    publisher.publishEvent(new WechatPayNotificationEvent<>(this, merchant, mchid, event, resource, type));
  }

  @Override
  public String toString() {
    return "WechatPayNotifications" + paths();
  }
}
