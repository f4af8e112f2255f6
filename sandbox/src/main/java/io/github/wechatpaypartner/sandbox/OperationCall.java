package io.github.wechatpaypartner.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One call that passed the sandbox's checks, as an {@link OperationState} sees it: the operation,
 * its decoded path and query values, its JSON body (null when the operation takes none), and the
 * ways to refuse it with one of the spec's error examples or to send a notification after it.
 */
public final class OperationCall {
  private final ServiceSpec spec;
  private final ServiceSpec.Operation operation;
  private final Map<String, String> path;
  private final Map<String, String> query;
  private final ObjectNode body;
  private final MarketingState.Events events;
  private final List<Runnable> after = new ArrayList<>();

  OperationCall(ServiceSpec spec, ServiceSpec.Operation operation, Map<String, String> path, Map<String, String> query,
      ObjectNode body, MarketingState.Events events) {
    this.spec = spec;
    this.operation = operation;
    this.path = Collections.unmodifiableMap(path);
    this.query = Collections.unmodifiableMap(query);
    this.body = body;
    this.events = events;
  }

  public ServiceSpec spec() {
    return spec;
  }

  public ServiceSpec.Operation operation() {
    return operation;
  }

  /** Path parameters by name, decoded. */
  public Map<String, String> path() {
    return path;
  }

  /** Query parameters the spec declares, by name, decoded (a repeated one: its first value). */
  public Map<String, String> query() {
    return query;
  }

  /** The request body, or null for an operation without one. */
  public ObjectNode body() {
    return body;
  }

  /**
   * The refusal to throw: the spec's error example {@code exampleName} (its status, code and
   * message), with a {@code detail} naming the field, its value, the rule and where it was sent
   * ({@code body}, {@code path}, {@code query}).
   */
  public RuntimeException refuse(String exampleName, String field, JsonNode value, String issue, String location) {
    return new ServiceError(spec.errorExample(operation, exampleName), ServiceError.detail(field, value, issue, location));
  }

  /** Sends the notification {@code eventType} of {@code x-webhooks} once the answer is built. */
  public void notifyAfter(String eventType, ObjectNode resource) {
    after.add(() -> events.happened(eventType, resource));
  }

  /** What runs once the answer is built, outside the state's lock (notifications). */
  List<Runnable> afterwards() {
    return after;
  }
}
