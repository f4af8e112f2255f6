package io.github.wechatpaypartner.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.notification.EventStore;
import io.github.wechatpaypartner.client.notification.InMemoryEventStore;
import io.github.wechatpaypartner.client.runtime.RateLimiter;
import io.github.wechatpaypartner.fleet.redis.RedisFleet;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * The auto-configuration in plain application contexts: properties to beans, the event store it
 * picks, and wrong properties failing the start with the property named, as Spring Boot reports it
 * (through the failure analyzer it loads from spring.factories). Keys are generated per run.
 */
class StarterConfigurationTest {
  private static final String API_V3_KEY = GeneratedCredentials.randomAlphanumeric(32);
  @TempDir
  static Path keys;
  private static GeneratedCredentials merchant;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(WechatPayRedisAutoConfiguration.class, WechatPayAutoConfiguration.class));

  @BeforeAll
  static void writeKeys() throws IOException {
    merchant = TestMerchants.first();
    merchant.writeClientFiles(keys);
    // another merchant's certificate: the first merchant's key does not belong to it
    Files.writeString(keys.resolve("other_cert.pem"), GeneratedCredentials.pem(TestMerchants.second().merchantCertificate()),
        StandardCharsets.US_ASCII);
  }

  /** The properties of a working merchant, under {@code prefix} ({@code wechatpay} or {@code wechatpay.merchants.NAME}). */
  private static List<String> merchant(String prefix) {
    List<String> p = new ArrayList<>();
    p.add(prefix + ".mchid=" + merchant.mchid());
    p.add(prefix + ".private-key-file=" + keys.resolve("apiclient_key.pem"));
    p.add(prefix + ".merchant-certificate-file=" + keys.resolve("apiclient_cert.pem"));
    p.add(prefix + ".public-key-id=" + merchant.wechatpayPublicKeyId());
    p.add(prefix + ".public-key-file=" + keys.resolve("pub_key.pem"));
    p.add(prefix + ".api-v3-key=" + API_V3_KEY);
    return p;
  }

  private static String[] with(List<String> base, String... changes) {
    List<String> all = new ArrayList<>(base);
    for (String change : changes) {
      String key = change.substring(0, change.indexOf('='));
      all.removeIf(p -> p.startsWith(key + "="));
      if (!change.endsWith("=")) {
        all.add(change);
      }
    }
    return all.toArray(new String[0]);
  }

  @Test
  void oneMerchantIsTheWechatPayClientBeanWithItsEndpointAndAnInMemoryEventStore() {
    runner.withPropertyValues(with(merchant("wechatpay"), "wechatpay.rate-limit=LOCAL", "wechatpay.retry.max-attempts=2",
        "wechatpay.timeouts.connect=2s")).run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(WechatPayClient.class).hasBean("wechatPayClient");
          WechatPayClients clients = context.getBean(WechatPayClients.class);
          assertThat(clients.names()).containsExactly("default");
          assertThat(context.getBean(WechatPayClient.class)).isSameAs(clients.get("default"));
          assertThat(context.getBean(WechatPayClient.class).notificationParser()).isPresent();
          assertThat(context.getBean(WechatPayNotifications.class).paths()).containsEntry("default", "/wechatpay/notify");
          assertThat(context.getBean(EventStore.class)).isInstanceOf(InMemoryEventStore.class);
          assertThat(context).doesNotHaveBean(RedisFleet.class);
        });
  }

  @Test
  void noPropertiesNoClient() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(WechatPayClient.class);
      assertThat(context.getBean(WechatPayClients.class).names()).isEmpty();
    });
  }

  @Test
  void aMissingFileStopsTheStartNamingTheProperty() {
    Path missing = keys.resolve("nowhere/apiclient_key.pem");
    assertStartFails(with(merchant("wechatpay"), "wechatpay.private-key-file=" + missing),
        "wechatpay.private-key-file: file not found: " + missing.toAbsolutePath());
  }

  @Test
  void aKeyThatDoesNotBelongToTheCertificateStopsTheStart() {
    assertStartFails(with(merchant("wechatpay.merchants.brand-a"),
        "wechatpay.merchants.brand-a.merchant-certificate-file=" + keys.resolve("other_cert.pem")),
        "wechatpay.merchants.brand-a.merchant-certificate-file: the private key"
            + " (wechatpay.merchants.brand-a.private-key-file) does not belong to this certificate");
  }

  @Test
  void anApiV3KeyOfTheWrongLengthStopsTheStartWithoutShowingTheKey() {
    String shortKey = API_V3_KEY.substring(1);
    FailureAnalysis analysis = assertStartFails(with(merchant("wechatpay.merchants.brand-b"),
        "wechatpay.merchants.brand-b.api-v3-key=" + shortKey),
        "wechatpay.merchants.brand-b.api-v3-key: must be exactly 32 bytes");
    assertThat(analysis.getDescription()).contains("got 31").doesNotContain(shortKey);
  }

  @Test
  void everyProblemOfEveryMerchantIsNamedAtOnce() {
    List<String> both = new ArrayList<>(merchant("wechatpay.merchants.a"));
    both.addAll(merchant("wechatpay.merchants.b"));
    FailureAnalysis analysis = assertStartFails(with(both, "wechatpay.merchants.a.mchid=19000x", "wechatpay.merchants.b.public-key-id=",
        "wechatpay.merchants.b.notify-path=/wechatpay/notify/a", "wechatpay.merchants.a.retry.max-attempts=0",
        "wechatpay.notification.lease=0s"),
        "wechatpay.merchants.a.mchid: must be the merchant id in digits, got '19000x'");
    assertThat(analysis.getDescription())
        .contains("wechatpay.merchants.b.public-key-id: is required")
        .contains("wechatpay.merchants.a.retry.max-attempts: RetryPolicy.maxAttempts must be at least 1, got 0")
        .contains("wechatpay.merchants.b.notify-path: /wechatpay/notify/a is already the path of wechatpay.merchants.a.notify-path")
        .contains("wechatpay.notification.lease: must be positive")
        .doesNotContain("does not belong");    // a's key and certificate match: only its mchid is wrong
  }

  @Test
  void oneMerchantAndSeveralAtOnceIsRefused() {
    List<String> both = new ArrayList<>(merchant("wechatpay"));
    both.addAll(merchant("wechatpay.merchants.a"));
    assertStartFails(both.toArray(new String[0]), "wechatpay.merchants: set one merchant directly under wechatpay");
  }

  @Test
  void aSharedRateLimitWithoutTheFleetModuleIsRefusedAndEventsStayInMemory() {
    runner.withClassLoader(new FilteredClassLoader(RedisFleet.class))
        .withPropertyValues(with(merchant("wechatpay"), "wechatpay.rate-limit=SHARED")).run(context -> {
          assertThat(analysis(context).getDescription()).contains("wechatpay.rate-limit: SHARED needs a RateLimiter bean");
        });
    runner.withClassLoader(new FilteredClassLoader(RedisFleet.class))
        .withPropertyValues(with(merchant("wechatpay"), "wechatpay.redis.uri=redis://127.0.0.1:1")).run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(EventStore.class)).isInstanceOf(InMemoryEventStore.class);
        });
  }

  @Test
  void withFleetRedisAndARedisTheEventStoreAndTheSharedRateLimitAreRedis() throws IOException {
    assertStartFails(with(merchant("wechatpay"), "wechatpay.redis.uri=redis://127.0.0.1:" + freePort()),
        "wechatpay.redis.uri: Cannot connect to Redis");
    int port = freePort();
    File dir = Files.createDirectories(Path.of("target", "embedded-redis")).toFile();
    RedisServer redis = RedisServer.newRedisServer().executableProvider(ExecutableProvider.newJarResourceProvider(dir))
        .bind("127.0.0.1").port(port).setting("save \"\"").setting("appendonly no").onShutdownForceStop(true)
        .soutListener(line -> { }).serrListener(line -> { }).build();
    redis.start();
    try {
      runner.withPropertyValues(with(merchant("wechatpay"), "wechatpay.rate-limit=SHARED",
          "wechatpay.redis.uri=redis://127.0.0.1:" + port, "wechatpay.redis.key-prefix=test:")).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(RedisFleet.class);
            RedisFleet fleet = context.getBean(RedisFleet.class);
            assertThat(context.getBean(EventStore.class)).isSameAs(fleet.eventStore());
            assertThat(context.getBean(RateLimiter.class)).isSameAs(fleet.rateLimiter());
            EventStore store = context.getBean(EventStore.class);
            assertThat(store.claim("EV-1", "owner", java.time.Duration.ofSeconds(5))).isEqualTo(EventStore.Claim.CLAIMED);
            assertThat(store.claim("EV-1", "other", java.time.Duration.ofSeconds(5))).isEqualTo(EventStore.Claim.RUNNING);
          });
    } finally {
      redis.stop();
    }
  }

  @Test
  void springBootLoadsTheFailureAnalyzer() {
    // Spring Boot's own analyzers need its context to be made; only whether ours loads matters here.
    assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(FailureAnalyzer.class,
        SpringFactoriesLoader.ArgumentResolver.none(), SpringFactoriesLoader.FailureHandler.handleMessage((m, e) -> { })))
        .anyMatch(a -> a instanceof WechatPayPropertiesFailureAnalyzer);
  }

  /** Starts with {@code properties}, expects the start to fail, and returns Spring Boot's report of it. */
  private FailureAnalysis assertStartFails(String[] properties, String expected) {
    FailureAnalysis[] analysis = new FailureAnalysis[1];
    runner.withPropertyValues(properties).run(context -> analysis[0] = analysis(context));
    assertThat(analysis[0].getDescription()).contains(expected);
    assertThat(analysis[0].getAction()).contains("Correct the properties named above");
    return analysis[0];
  }

  private static FailureAnalysis analysis(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    FailureAnalysis analysis = new WechatPayPropertiesFailureAnalyzer().analyze(context.getStartupFailure());
    assertThat(analysis).as("analysed: %s", context.getStartupFailure()).isNotNull();
    assertThat(analysis.getDescription()).doesNotContain("\tat ").doesNotContain("Exception");
    return analysis;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
