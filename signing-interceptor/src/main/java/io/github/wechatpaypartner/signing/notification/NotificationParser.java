package io.github.wechatpaypartner.signing.notification;

import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import io.github.wechatpaypartner.exception.NotificationVerificationException;
import io.github.wechatpaypartner.exception.NotificationDecryptionException;
import io.github.wechatpaypartner.exception.NotificationFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.signing.CryptoProvider;
import io.github.wechatpaypartner.signing.keys.TrustedKeys;
import io.github.wechatpaypartner.signing.verify.HeaderLookup;
import io.github.wechatpaypartner.signing.verify.SignatureVerifier;
import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns a WeChat Pay callback (headers + raw body) into a {@link Notification}: verifies the
 * signature exactly like an answer, reads the envelope, decrypts the AEAD_AES_256_GCM resource
 * with the APIv3 key. Immutable and thread-safe; one parser serves every request.
 */
public final class NotificationParser {
  private final SignatureVerifier verifier;
  private final ResourceDecryptor decryptor;
  private final ObjectMapper mapper;
  private final Map<String, Class<?>> knownTypes;

  private NotificationParser(Builder b) {
    CryptoProvider provider = b.provider != null ? b.provider : CryptoProvider.detect();
    this.verifier = new SignatureVerifier(b.keySet, provider, b.clock);
    this.decryptor = new ResourceDecryptor(b.apiV3Key, provider);
    this.mapper = WechatPayJson.newObjectMapper();
    this.knownTypes = Collections.unmodifiableMap(new LinkedHashMap<>(b.knownTypes));
  }

  /**
   * @param keySet the trusted WeChat Pay keys (the same set, fixed or managed, as for answers)
   * @param apiV3Key the merchant's APIv3 key
   */
  public static Builder builder(TrustedKeys keySet, ApiV3Key apiV3Key) {
    return new Builder(keySet, apiV3Key);
  }

  /** @param headers e.g. a servlet's {@code request::getHeader} (case-insensitive) */
  public Notification parse(Function<String, String> headers, byte[] body) {
    return verifyAndDecrypt(HeaderLookup.of(headers), body);
  }

  /** @param headers header name to value; looked up without regard to case */
  public Notification parse(Map<String, String> headers, byte[] body) {
    return verifyAndDecrypt(HeaderLookup.of(headers), body);
  }

  /**
   * Both {@code parse} methods take the body exactly as received (do not re-encode it) and throw
   * {@link NotificationVerificationException} when a signature check fails, {@link
   * NotificationFormatException} when the envelope is not the documented JSON and {@link
   * NotificationDecryptionException} when the resource cannot be decrypted.
   */
  private Notification verifyAndDecrypt(HeaderLookup headers, byte[] body) {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    verifier.check(headers, body).ifPresent(failure -> {
      throw new NotificationVerificationException(failure.check(), failure.detail(), headers.first("Request-ID"));
    });
    Notification.Envelope envelope = readEnvelope(body);
    if (!ResourceDecryptor.ALGORITHM.equals(envelope.algorithm)) {
      throw new NotificationFormatException("resource.algorithm of callback " + envelope.id
          + " is '" + envelope.algorithm + "'; only " + ResourceDecryptor.ALGORITHM
          + " is supported");
    }
    String json = decryptor.decrypt(envelope.associatedData, envelope.nonce, envelope.ciphertext);
    JsonNode tree;
    try {
      tree = mapper.readTree(json);
    } catch (IOException e) {
      throw new NotificationFormatException("The decrypted resource of callback " + envelope.id
          + " is not JSON", null);
    }
    if (tree == null || !tree.isObject()) {
      throw new NotificationFormatException("The decrypted resource of callback " + envelope.id
          + " is not a JSON object");
    }
    return new Notification(envelope, json, tree, knownTypes.get(envelope.eventType), mapper);
  }

  private Notification.Envelope readEnvelope(byte[] body) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (IOException e) {
      throw new NotificationFormatException("The callback body is not JSON", null);
    }
    if (root == null || !root.isObject()) {
      throw new NotificationFormatException("The callback body is not a JSON object");
    }
    Notification.Envelope e = new Notification.Envelope();
    e.id = required(root, "id", "id");
    String createTime = required(root, "create_time", "create_time");
    try {
      e.createTime = OffsetDateTime.parse(createTime);
    } catch (DateTimeParseException ex) {
      throw new NotificationFormatException("create_time '" + createTime
          + "' is not an RFC 3339 time with offset");
    }
    e.eventType = required(root, "event_type", "event_type");
    e.resourceType = optional(root, "resource_type");
    e.summary = optional(root, "summary");
    JsonNode resource = root.get("resource");
    if (resource == null || !resource.isObject()) {
      throw new NotificationFormatException("resource is missing or not an object in callback "
          + e.id);
    }
    e.algorithm = required(resource, "algorithm", "resource.algorithm");
    e.ciphertext = required(resource, "ciphertext", "resource.ciphertext");
    e.nonce = required(resource, "nonce", "resource.nonce");
    e.associatedData = optional(resource, "associated_data");
    e.originalType = optional(resource, "original_type");
    return e;
  }

  private static String required(JsonNode node, String field, String path) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new NotificationFormatException(path + " is missing or not a non-empty string");
    }
    return value.asText();
  }

  private static String optional(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** Event types with a registered resource class. */
  public Map<String, Class<?>> knownTypes() {
    return knownTypes;
  }

  @Override
  public String toString() {
    return "NotificationParser[" + verifier + ", known event types " + knownTypes.keySet() + "]";
  }

  /** Settings of a parser. Not thread-safe; the parser it builds is. */
  public static final class Builder {
    private final TrustedKeys keySet;
    private final ApiV3Key apiV3Key;
    private final Map<String, Class<?>> knownTypes = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private CryptoProvider provider;

    private Builder(TrustedKeys keySet, ApiV3Key apiV3Key) {
      this.keySet = Objects.requireNonNull(keySet, "keySet");
      this.apiV3Key = Objects.requireNonNull(apiV3Key, "apiV3Key");
    }

    /** Default: the system clock in UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Default: {@link CryptoProvider#detect()}. */
    public Builder provider(CryptoProvider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** Maps {@code event_type} (e.g. {@code DELIVERY_PLAN.CHANGE}) to its resource class. */
    public Builder knownType(String eventType, Class<?> resourceClass) {
      knownTypes.put(Objects.requireNonNull(eventType, "eventType"),
          Objects.requireNonNull(resourceClass, "resourceClass"));
      return this;
    }

    /** Adds every entry of {@code types} as with {@link #knownType(String, Class)}. */
    public Builder knownTypes(Map<String, Class<?>> types) {
      types.forEach(this::knownType);
      return this;
    }

    public NotificationParser build() {
      return new NotificationParser(this);
    }
  }
}
