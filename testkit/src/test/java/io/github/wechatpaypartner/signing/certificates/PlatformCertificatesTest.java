package io.github.wechatpaypartner.signing.certificates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.client.runtime.IncomingResponse;
import io.github.wechatpaypartner.client.runtime.OutgoingRequest;
import io.github.wechatpaypartner.exception.ConfigurationException;
import io.github.wechatpaypartner.exception.NotificationVerificationException;
import io.github.wechatpaypartner.signing.keys.CertificateLoader;
import io.github.wechatpaypartner.signing.notification.ApiV3Key;
import io.github.wechatpaypartner.signing.notification.NotificationParser;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import io.github.wechatpaypartner.testkit.ResourceEncryptor;
import io.github.wechatpaypartner.testkit.ServiceSigner;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The managed certificate set without sockets: the service's side is played here with the
 * testkit's signer and encryptor (each platform certificate is generated).
 */
class PlatformCertificatesTest {
  private static final String API_V3_KEY = GeneratedCredentials.randomAlphanumeric(32);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Platform FIRST = new Platform();
  private static final Platform SECOND = new Platform();

  /** One platform certificate and its key. */
  private static final class Platform {
    final KeyPair keys = GeneratedCredentials.rsa2048();
    final X509Certificate certificate = GeneratedCredentials.selfSignedCertificate(keys, "platform (test)");
    final String serial = CertificateLoader.serialOf(certificate);
    final ServiceSigner signer = new ServiceSigner(keys.getPrivate(), serial, Clock.systemUTC());
  }

  /** The service: lists {@code listed}, signs with the first; counts and may slow down its answers. */
  private static final class Service implements PlatformCertificates.Download {
    final List<Platform> listed = new CopyOnWriteArrayList<>();
    volatile String apiV3Key = API_V3_KEY;
    volatile long delayMillis;
    volatile boolean failing;

    Service(Platform... platforms) {
      listed.addAll(List.of(platforms));
    }

    @Override
    public IncomingResponse get() {
      if (failing) {
        throw new IllegalStateException("connection refused (test)");
      }
      sleep(delayMillis);
      ObjectNode body = JSON.createObjectNode();
      ResourceEncryptor encryptor = new ResourceEncryptor(ApiV3Key.of(apiV3Key));
      for (Platform p : listed) {
        ObjectNode entry = body.withArray("data").addObject();
        entry.put("serial_no", p.serial);
        entry.put("effective_time", "2025-01-01T00:00:00+08:00");
        entry.put("expire_time", "2030-01-01T00:00:00+08:00");
        entry.putObject("encrypt_certificate").put("algorithm", "AEAD_AES_256_GCM").put("nonce", "61f9c719728a")
            .put("associated_data", "certificate")
            .put("ciphertext", encryptor.encrypt(GeneratedCredentials.pem(p.certificate), "61f9c719728a", "certificate"));
      }
      return answer(listed.get(0).signer, body.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static IncomingResponse answer(ServiceSigner signer, byte[] body) {
    Map<String, List<String>> headers = signer.headers(body).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
    return new IncomingResponse(new OutgoingRequest("downloadCertificates", "GET",
        URI.create("https://api.mch.weixin.qq.com/v3/certificates"), Map.of(), new byte[0]), 200,
        HttpHeaders.of(headers, (k, v) -> true), body);
  }

  private static PlatformCertificates.Builder builder() {
    return PlatformCertificates.builder(ApiV3Key.of(API_V3_KEY));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aDownloadIsDecryptedCheckedAndVerified() {
    PlatformCertificates set = builder().build();
    set.attach("1900000001", new Service(FIRST));
    assertEquals(List.of(FIRST.serial), List.copyOf(set.current().serials()));
    assertEquals(FIRST.serial, set.requestSerial());
  }

  @Test
  void aWrongApiV3KeyIsAConfigurationError() {
    Service service = new Service(FIRST);
    service.apiV3Key = GeneratedCredentials.randomAlphanumeric(32);
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> builder().build().attach("1900000001", service));
    assertTrue(e.getMessage().contains("APIv3 key is wrong"), e.getMessage());
  }

  @Test
  void aDownloadSignedByNoListedCertificateIsRefused() {
    PlatformCertificates.Download forged = () -> {
      IncomingResponse real = new Service(FIRST).get();
      return answer(SECOND.signer, real.body());
    };
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> builder().build().attach("1900000001", forged));
    assertTrue(e.getMessage().contains("UNKNOWN_SERIAL"), e.getMessage());
  }

  @Test
  void manyCallersMeetingAnUnknownSerialShareOneDownload() throws Exception {
    Service service = new Service(FIRST);
    PlatformCertificates set = builder().build();
    set.attach("1900000001", service);
    service.listed.add(0, SECOND); // rotated: the service signs with SECOND from now on
    service.delayMillis = 50;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> found = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 16; i++) {
        found.add(pool.submit(() -> {
          start.await();
          return set.afterUnknownSerial(SECOND.serial).find(SECOND.serial).isPresent();
        }));
      }
      start.countDown();
      for (Future<Boolean> f : found) {
        assertTrue(f.get(10, TimeUnit.SECONDS), "every caller sees the new certificate");
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(2, set.downloads(), "one at start, one shared by the 16 callers");
    set.afterUnknownSerial("FFFF"); // within the interval: no download for a serial nobody has
    assertEquals(2, set.downloads());
  }

  @Test
  void aCallerWaitsForTheDownloadNoLongerThanMaxWait() {
    Service service = new Service(FIRST);
    PlatformCertificates set = builder().maxWait(Duration.ofMillis(100)).build();
    set.attach("1900000001", service);
    service.delayMillis = 2_000;
    long start = System.nanoTime();
    assertTrue(set.afterUnknownSerial(SECOND.serial).find(SECOND.serial).isEmpty());
    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(waitedMillis < 1_500, "waited " + waitedMillis + " ms");
  }

  @Test
  void aFailedRefreshKeepsTheCurrentSet() throws Exception {
    Service service = new Service(FIRST);
    PlatformCertificates set = builder().unknownSerialInterval(Duration.ZERO).build();
    set.attach("1900000001", service);
    service.failing = true;
    set.afterUnknownSerial(SECOND.serial);
    assertEquals(List.of(FIRST.serial), List.copyOf(set.current().serials()));
    service.failing = false;
    service.listed.add(0, SECOND);
    assertTrue(set.afterUnknownSerial(SECOND.serial).find(SECOND.serial).isPresent(), "recovers on the next one");
  }

  @Test
  void notificationsAreVerifiedWithTheSameManagedSet() {
    Service service = new Service(FIRST);
    PlatformCertificates set = builder().build();
    set.attach("1900000001", service);
    NotificationParser parser = NotificationParser.builder(set, ApiV3Key.of(API_V3_KEY)).build();
    service.listed.add(0, SECOND);
    String nonce = "abcdefghijkl";
    String envelope = JSON.createObjectNode().put("id", "EV-1").put("create_time", "2025-01-01T10:00:00+08:00")
        .put("event_type", "DELIVERY_PLAN.CHANGE").put("resource_type", "encrypt-resource")
        .set("resource", JSON.createObjectNode().put("algorithm", "AEAD_AES_256_GCM").put("nonce", nonce)
            .put("associated_data", "delivery_plan")
            .put("ciphertext", new ResourceEncryptor(ApiV3Key.of(API_V3_KEY)).encrypt("{\"plan_id\":\"1\"}", nonce,
                "delivery_plan"))).toString();
    byte[] body = envelope.getBytes(StandardCharsets.UTF_8);
    // Signed by the rotated certificate: the parser downloads once and trusts it.
    assertEquals("1", parser.parse(SECOND.signer.headers(body), body).resourceTree().path("plan_id").asText());
    assertEquals(2, set.downloads());
    // Signed by a key nobody lists: refused, and no further download within the interval.
    Platform stranger = new Platform();
    assertThrows(NotificationVerificationException.class, () -> parser.parse(stranger.signer.headers(body), body));
    assertEquals(2, set.downloads());
  }

  @Test
  void certificatesOutsideTheirValidityDatesAreLeftOut() {
    // Generated certificates are valid for a year: 400 days on, the one listed has expired.
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(400));
    ServiceSigner signer = new ServiceSigner(FIRST.keys.getPrivate(), FIRST.serial, later);
    PlatformCertificates.Download expired = () -> answer(signer, new Service(FIRST).get().body());
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> builder().clock(later).build().attach("1900000001", expired));
    assertTrue(e.getMessage().contains("no valid platform certificate"), e.getMessage());
  }

  @Test
  void aSetBelongsToOneMerchant() {
    PlatformCertificates set = builder().build();
    set.attach("1900000001", new Service(FIRST));
    assertThrows(ConfigurationException.class, () -> set.attach("1900000002", new Service(FIRST)));
  }
}
