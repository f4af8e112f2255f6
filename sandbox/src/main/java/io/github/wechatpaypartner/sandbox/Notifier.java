package io.github.wechatpaypartner.sandbox;

import io.github.wechatpaypartner.client.runtime.WechatPayJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import io.github.wechatpaypartner.signing.notification.ApiV3Key;
import io.github.wechatpaypartner.testkit.ResourceEncryptor;
import io.github.wechatpaypartner.testkit.ServiceSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Sends notifications as WeChat Pay does: the resource encrypted with AEAD_AES_256_GCM under the
 * APIv3 key, the envelope signed like an answer, POSTed to the notify URL and sent again on any
 * non-2xx answer, timeout or connection failure, on the spec's schedule divided by the time scale.
 */
final class Notifier implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Notifier.class.getName());
  private static final ObjectMapper JSON = WechatPayJson.newObjectMapper();
  /** How long a receiver may take to answer before the attempt counts as failed. */
  private static final Duration RECEIVER_TIMEOUT = Duration.ofSeconds(5);

  private final ServiceSpec spec;
  private final SandboxCredentials credentials;
  private final java.time.Clock clock;
  private final Supplier<ServiceSigner> signer;
  private final ResourceEncryptor encryptor;
  private final Supplier<URI> notifyUrl;
  private final double timeScale;
  private final SpecValidator validator;
  private final java.util.function.Consumer<String> offSpec;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService httpExecutor;
  private final HttpClient http;
  /** The most recent notifications, at most {@link #keep}. */
  private final java.util.ArrayDeque<SentNotification> sent = new java.util.ArrayDeque<>();
  private final int keep;
  /** Told of each notification when it is finished (delivered, out of retries, or not to be sent). */
  private final java.util.function.Consumer<SentNotification> finished;
  private final AtomicLong counter = new AtomicLong();

  Notifier(ServiceSpec spec, SandboxCredentials credentials, Supplier<ServiceSigner> signer, Supplier<URI> notifyUrl,
      double timeScale, SpecValidator validator, java.util.function.Consumer<String> offSpec, java.time.Clock clock,
      int keep, java.util.function.Consumer<SentNotification> finished) {
    this.keep = keep;
    this.finished = finished;
    this.spec = spec;
    this.credentials = credentials;
    this.clock = clock;
    // The key of the sandbox's current mode (public key, or the newest platform certificate).
    this.signer = signer;
    this.encryptor = new ResourceEncryptor(ApiV3Key.of(credentials.apiV3Key()));
    this.notifyUrl = notifyUrl;
    this.timeScale = timeScale;
    this.validator = validator;
    this.offSpec = offSpec;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sandbox-notifier"));
    this.httpExecutor = Executors.newCachedThreadPool(r -> daemon(r, "sandbox-notifier-http"));
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(RECEIVER_TIMEOUT).executor(httpExecutor).build();
  }

  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Encrypts, records and (with a notify URL) sends a notification of {@code eventType}. */
  SentNotification send(String eventType, ObjectNode resource) {
    return send(eventType, resource, null);
  }

  /** As {@link #send(String, ObjectNode)}; {@code cause} says what made it (a call, the control plane). */
  SentNotification send(String eventType, ObjectNode resource, String cause) {
    ServiceSpec.Webhook webhook = spec.webhook(eventType);
    JsonNode example = webhook.envelopeExample();
    String associatedData = example.path("resource").path("associated_data").asText("");
    String nonce = GeneratedCredentials.randomAlphanumeric(12);
    ObjectNode envelope = JSON.createObjectNode();
    String id = "EV-" + MarketingState.now().replaceAll("[^0-9]", "").substring(0, 14)
        + String.format("%08d", counter.incrementAndGet());
    envelope.put("id", id);
    envelope.put("create_time", MarketingState.now());
    envelope.put("event_type", eventType);
    envelope.set("resource_type", example.path("resource_type"));
    envelope.set("summary", example.path("summary"));
    ObjectNode encrypted = envelope.putObject("resource");
    encrypted.set("original_type", example.path("resource").path("original_type"));
    encrypted.set("algorithm", example.path("resource").path("algorithm"));
    encrypted.put("associated_data", associatedData);
    encrypted.put("nonce", nonce);
    encrypted.put("ciphertext", encryptor.encrypt(resource.toString(), nonce, associatedData));

    List<String> violations = new ArrayList<>();
    validator.validate(webhook.envelopeSchemaPointer(), envelope, "body")
        .forEach(v -> violations.add("envelope " + v));
    validator.validate(webhook.resourceSchemaPointer(), resource, "body")
        .forEach(v -> violations.add("resource " + v));
    URI url = notifyUrl.get();
    SentNotification notification = new SentNotification(id, eventType, resource.deepCopy(), envelope.toString(),
        url, violations, cause, null);
    keep(notification);
    if (!violations.isEmpty()) {
      offSpec.accept(notification + " " + violations);
    }
    deliver(notification);
    return notification;
  }

  /**
   * Sends {@code original}'s envelope once more, byte for byte (same {@code id}), as the service
   * does when it delivers a notification twice; recorded as a notification of its own.
   */
  SentNotification duplicate(SentNotification original) {
    URI url = notifyUrl.get();
    SentNotification copy = new SentNotification(original.id, original.eventType, original.resource,
        original.body, url, original.violations, "duplicate of " + original.id, original.id);
    keep(copy);
    deliver(copy);
    return copy;
  }

  /** What in {@code resource} breaks the schema of {@code eventType}'s decrypted resource; empty when it conforms. */
  List<String> resourceViolations(String eventType, JsonNode resource) {
    List<String> violations = new ArrayList<>();
    validator.validate(spec.webhook(eventType).resourceSchemaPointer(), resource, "body")
        .forEach(v -> violations.add(v.toString()));
    return violations;
  }

  private void keep(SentNotification notification) {
    synchronized (sent) {
      sent.addLast(notification);
      while (sent.size() > keep) {
        sent.removeFirst();
      }
    }
  }

  private void deliver(SentNotification notification) {
    if (notification.url == null) {
      finished.accept(notification);
    } else {
      ServiceSpec.RetrySchedule schedule = spec.webhook(notification.eventType).retrySchedule();
      scheduler.execute(() -> attempt(notification, 1, schedule));
    }
  }

  private void attempt(SentNotification n, int number, ServiceSpec.RetrySchedule schedule) {
    byte[] body = n.body.getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder request = HttpRequest.newBuilder(n.url)
        .timeout(RECEIVER_TIMEOUT)
        .header("Content-Type", ServiceSpec.JSON)
        .header("Request-ID", "sandbox-notify-" + n.id + "-" + number)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signer.get().headers(body).forEach(request::header);
    SentNotification.Attempt attempt;
    try {
      HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      attempt = new SentNotification.Attempt(number, Instant.now(), answer.statusCode(), answer.body(), null);
    } catch (IOException e) {
      attempt = new SentNotification.Attempt(number, Instant.now(), 0, null, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    boolean delivered = attempt.status >= 200 && attempt.status < 300;
    boolean last = delivered || number > schedule.maxRetries;
    n.add(attempt, last);
    if (last) {
      finished.accept(n);
    }
    LOG.log(System.Logger.Level.DEBUG, "{0} {1} attempt {2}: {3}", n.eventType, n.id, number, attempt);
    if (!last && !scheduler.isShutdown()) {
      long delayMillis = Math.max(1, (long) (schedule.interval.toMillis() / timeScale));
      scheduler.schedule(() -> attempt(n, number + 1, schedule), delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  List<SentNotification> sent() {
    synchronized (sent) {
      return List.copyOf(sent);
    }
  }

  void clear() {
    synchronized (sent) {
      sent.clear();
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    httpExecutor.shutdownNow();
  }
}
