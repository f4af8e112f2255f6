package io.github.wechatpaypartner.signing.notification;

import io.github.wechatpaypartner.exception.NotificationFormatException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * A verified, decrypted callback: the envelope fields and the resource as JSON text, as a tree,
 * or as any class. {@link #toString()} shows the envelope only: the resource may hold personal
 * data.
 */
public final class Notification {
  private final String id;
  private final OffsetDateTime createTime;
  private final String eventType;
  private final String resourceType;
  private final String summary;
  private final String algorithm;
  private final String originalType;
  private final String associatedData;
  private final String resourceJson;
  private final JsonNode resourceTree;
  private final Class<?> knownType;
  private final ObjectMapper mapper;

  Notification(Envelope envelope, String resourceJson, JsonNode resourceTree, Class<?> knownType,
      ObjectMapper mapper) {
    this.id = envelope.id;
    this.createTime = envelope.createTime;
    this.eventType = envelope.eventType;
    this.resourceType = envelope.resourceType;
    this.summary = envelope.summary;
    this.algorithm = envelope.algorithm;
    this.originalType = envelope.originalType;
    this.associatedData = envelope.associatedData;
    this.resourceJson = resourceJson;
    this.resourceTree = resourceTree;
    this.knownType = knownType;
    this.mapper = mapper;
  }

  /** The event id: the service retries with the same id, so dedupe on it. */
  public String id() {
    return id;
  }

  public OffsetDateTime createTime() {
    return createTime;
  }

  /** e.g. {@code DELIVERY_PLAN.CHANGE}. */
  public String eventType() {
    return eventType;
  }

  /** {@code encrypt-resource}. */
  public String resourceType() {
    return resourceType;
  }

  public String summary() {
    return summary;
  }

  /** {@code AEAD_AES_256_GCM}. */
  public String algorithm() {
    return algorithm;
  }

  /** {@code resource.original_type}, or {@code null} when absent. */
  public String originalType() {
    return originalType;
  }

  /** {@code resource.associated_data}, or {@code null} when absent. */
  public String associatedData() {
    return associatedData;
  }

  /** The decrypted resource, JSON text exactly as decrypted. */
  public String resourceJson() {
    return resourceJson;
  }

  /** The decrypted resource as a Jackson tree. */
  public JsonNode resourceTree() {
    return resourceTree.deepCopy();
  }

  /** The decrypted resource mapped onto {@code type} (unknown properties are ignored). */
  public <T> T resourceAs(Class<T> type) {
    Objects.requireNonNull(type, "type");
    try {
      return mapper.treeToValue(resourceTree, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      // The original message names the property; the location (with content) is left out.
      String reason = e instanceof JsonProcessingException
          ? ((JsonProcessingException) e).getOriginalMessage() : e.getClass().getSimpleName();
      throw new NotificationFormatException("The resource of callback " + id + " (" + eventType
          + ") does not map to " + type.getSimpleName() + ": " + reason, e);
    }
  }

  /** The class registered with the parser for this event type, if any. */
  public Optional<Class<?>> knownType() {
    return Optional.ofNullable(knownType);
  }

  /**
   * The resource as the class registered for this event type.
   *
   * @throws NotificationFormatException when no class is registered for the event type
   */
  public Object resource() {
    if (knownType == null) {
      throw new NotificationFormatException("No resource class is registered for event_type "
          + eventType + "; use resourceAs(Class) or resourceTree()");
    }
    return resourceAs(knownType);
  }

  @Override
  public String toString() {
    return "Notification[id=" + id + ", event_type=" + eventType + ", create_time=" + createTime
        + ", summary=" + summary + "]";
  }

  /** The envelope fields, read by the parser. */
  static final class Envelope {
    String id;
    OffsetDateTime createTime;
    String eventType;
    String resourceType;
    String summary;
    String algorithm;
    String ciphertext;
    String nonce;
    String associatedData;
    String originalType;
  }
}
