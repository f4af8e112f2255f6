package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.NotificationReceiver;
import io.github.wechatpaypartner.conformance.support.SuiteSandbox;
import io.github.wechatpaypartner.conformance.support.SpecCalls;
import io.github.wechatpaypartner.exception.ConfigurationException;
import io.github.wechatpaypartner.exception.ResponseVerificationException;
import io.github.wechatpaypartner.exception.VerificationCheck;
import io.github.wechatpaypartner.sandbox.Fault;
import io.github.wechatpaypartner.sandbox.FaultRule;
import io.github.wechatpaypartner.sandbox.RecordedExchange;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SandboxCredentials;
import io.github.wechatpaypartner.sandbox.SandboxKeys;
import io.github.wechatpaypartner.sandbox.junit.SandboxExtension;
import io.github.wechatpaypartner.signing.certificates.PlatformCertificates;
import io.github.wechatpaypartner.signing.keys.CertificateLoader;
import io.github.wechatpaypartner.signing.notification.Notification;
import io.github.wechatpaypartner.signing.notification.ApiV3Key;
import io.github.wechatpaypartner.spec.SpecDocument;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 21 against the sandbox: managed platform certificates (download, rotation, unknown
 * serials, failed refreshes, a wrong APIv3 key) and the switchover to public keys.
 */
class PlatformCertificatesTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SuiteSandbox.perClass();
  private static final SpecDocument SPEC = SpecDocument.load(ModulePaths.spec());
  private static final SpecOperation PLAN = SPEC.operation("createDeliveryPlan");
  private Sandbox sandbox;

  @BeforeEach
  void fresh(Sandbox sandbox) {
    this.sandbox = sandbox;
    sandbox.reset();
    sandbox.keys().mode(SandboxKeys.Mode.PLATFORM_CERTIFICATE);
  }

  /** A client of the sandbox's merchant with no WeChat Pay key yet. */
  private WechatPayClient.Builder merchant() {
    SandboxCredentials c = sandbox.credentials();
    return WechatPayClient.builder().mchid(c.mchid())
        .merchantCertificate(sandbox.clientFiles().resolve(SandboxCredentials.MERCHANT_CERT_FILE))
        .privateKey(c.merchantPrivateKey().orElseThrow()).hosts(sandbox.uri()).noRetries();
  }

  private Path publicKeyFile() {
    return sandbox.clientFiles().resolve(SandboxCredentials.WECHATPAY_PUBLIC_KEY_FILE);
  }

  private PlatformCertificates.Builder certificates() {
    return PlatformCertificates.builder(ApiV3Key.of(sandbox.credentials().apiV3Key()));
  }

  private void call(WechatPayClient client) throws Exception {
    SpecCalls.callForTree(client, PLAN, SpecCalls.firstExample(PLAN));
  }

  private static String answerSerial(RecordedExchange e) {
    return e.responseHeaders.get("Wechatpay-Serial").get(0);
  }

  @Test
  void aClientStartingFromCertificatesSetsItselfUpAndCallsEveryOperation() throws Exception {
    WechatPayClient client = merchant().autoPlatformCertificates(sandbox.credentials().apiV3Key()).build();
    String signing = sandbox.keys().signingSerial();
    for (SpecOperation op : SPEC.operations().values()) {
      if (op.operationId.equals("downloadCertificates")) {
        continue; // the build above made it
      }
      sandbox.reset();
      sandbox.keys().mode(SandboxKeys.Mode.PLATFORM_CERTIFICATE);
      SpecCalls.callForTree(client, op, SpecCalls.firstExample(op));
      RecordedExchange e = sandbox.lastExchange();
      assertEquals(200, e.status, e::toString);
      assertEquals(signing, answerSerial(e), "the answer was signed with the platform certificate");
      assertEquals(List.of(signing), e.requestHeaders.get("Wechatpay-Serial"), "the request names the certificate");
    }
  }

  @Test
  void aRotationInTheMiddleOfAStreamOfCallsFailsNoCallAndCostsOneDownload() throws Exception {
    PlatformCertificates shared = certificates().build();
    WechatPayClient client = merchant().platformCertificates(shared).build();
    WechatPayClient second = merchant().platformCertificates(shared).build(); // shared: no download of its own
    assertEquals(1, shared.downloads());
    String before = sandbox.keys().signingSerial();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        WechatPayClient c = i % 2 == 0 ? client : second;
        if (i == 8) {
          for (Future<?> f : calls) {
            f.get();
          }
          sandbox.keys().rotateCertificate();
        }
        calls.add(pool.submit(() -> {
          call(c);
          return null;
        }));
      }
      for (Future<?> f : calls) {
        f.get(); // a failed call fails the test here
      }
    } finally {
      pool.shutdownNow();
    }
    String after = sandbox.keys().signingSerial();
    assertNotEquals(before, after);
    assertEquals(2, shared.downloads(), "one download at start, one for the new certificate");
    assertEquals(2, sandbox.exchanges("downloadCertificates").size());
    assertTrue(shared.current().find(after).isPresent() && shared.current().find(before).isPresent(),
        "old and new are both trusted: " + shared.current());
    assertEquals(after, shared.current().preferredSerial(), "requests now name the new certificate");
  }

  @Test
  void anUnknownSerialTriggersOneDownloadNotOnePerCall() {
    PlatformCertificates shared = certificates().build();
    WechatPayClient client = merchant().platformCertificates(shared).build();
    sandbox.arm(FaultRule.next(5, PLAN.operationId, Fault.unknownSerial()));
    for (int i = 0; i < 5; i++) {
      ResponseVerificationException e = assertThrows(ResponseVerificationException.class, () -> call(client));
      assertEquals(VerificationCheck.UNKNOWN_SERIAL, e.check());
    }
    assertEquals(2, shared.downloads(), "the first unknown serial downloads once; the next four wait for no download");
  }

  @Test
  void aFailedRefreshKeepsTheCurrentSetAndIsLoggedOnce() throws Exception {
    PlatformCertificates shared = certificates().refreshInterval(Duration.ofMillis(1)).build();
    WechatPayClient client = merchant().platformCertificates(shared).build();
    String trusted = shared.current().preferredSerial();
    AtomicInteger warnings = new AtomicInteger();
    Logger log = Logger.getLogger(PlatformCertificates.class.getName());
    Handler counter = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
          warnings.incrementAndGet();
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    log.addHandler(counter);
    try {
      sandbox.arm(FaultRule.always("downloadCertificates", Fault.systemError()));
      for (int i = 0; i < 10; i++) {
        Thread.sleep(5); // past the 1 ms interval: each call starts a refresh, which fails
        call(client);
      }
      long failed = sandbox.exchanges("downloadCertificates").stream().filter(e -> e.status == 500).count();
      assertTrue(failed >= 2, "refreshes were attempted and failed: " + failed);
      assertEquals(trusted, shared.current().preferredSerial(), "the set downloaded first is still trusted");
      assertEquals(1, warnings.get(), "one warning for the run of failures");
    } finally {
      log.removeHandler(counter);
    }
  }

  @Test
  void notificationsSignedWithACertificateAreVerifiedWithTheSameSet() throws Exception {
    WechatPayClient client = merchant().autoPlatformCertificates(sandbox.credentials().apiV3Key()).build();
    try (NotificationReceiver receiver = NotificationReceiver.start()) {
      sandbox.notifyUrl(receiver.url());
      sandbox.keys().rotateCertificate(); // the notification comes signed with a certificate the client has not seen
      call(client);
      NotificationReceiver.Received r = receiver.await(1, Duration.ofSeconds(10)).get(0);
      assertEquals(sandbox.keys().signingSerial(), r.headers.get("Wechatpay-Serial"));
      Notification n = client.notificationParser().orElseThrow().parse(r.headers, r.body);
      assertEquals("DELIVERY_PLAN.CHANGE", n.eventType());
    } finally {
      sandbox.notifyUrl(null);
    }
  }

  @Test
  void aSharedSetKeepsItsOwnKeysAndChoice() {
    PlatformCertificates shared = certificates().build();
    String publicKeyId = sandbox.credentials().wechatpayPublicKeyId();
    for (WechatPayClient.Builder both : List.of(
        merchant().platformCertificates(shared).wechatpayPublicKey(publicKeyId, publicKeyFile()),
        merchant().platformCertificates(shared).wechatpaySerial(publicKeyId),
        merchant().platformCertificates(shared).autoPlatformCertificates(sandbox.credentials().apiV3Key()))) {
      ConfigurationException e = assertThrows(ConfigurationException.class, both::build);
      assertTrue(e.getMessage().contains("alsoTrust"), e.getMessage());
    }
    assertEquals(0, shared.downloads(), "refused before anything was sent");
  }

  @Test
  void aWrongApiV3KeyIsAConfigurationErrorAtBuildTime() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> merchant().autoPlatformCertificates("0123456789abcdef0123456789abcdef").build());
    assertTrue(e.getMessage().contains("APIv3 key is wrong"), e.getMessage());
  }

  @Test
  void duringTheSwitchoverTheRequestChoosesTheKeyAndEitherPasses() throws Exception {
    sandbox.keys().mode(SandboxKeys.Mode.BOTH);
    String publicKeyId = sandbox.credentials().wechatpayPublicKeyId();
    String certificate = CertificateLoader.serialOf(sandbox.keys().certificates().get(0));
    // Default: the public key is named, so answers come signed with it.
    WechatPayClient both = merchant().wechatpayPublicKey(publicKeyId, publicKeyFile())
        .autoPlatformCertificates(sandbox.credentials().apiV3Key()).build();
    call(both);
    assertEquals(publicKeyId, answerSerial(sandbox.lastExchange()));
    // The merchant's choice: the certificate, with the public key still trusted.
    WechatPayClient choosing = merchant().wechatpayPublicKey(publicKeyId, publicKeyFile())
        .autoPlatformCertificates(sandbox.credentials().apiV3Key()).wechatpaySerial(certificate).build();
    call(choosing);
    assertEquals(certificate, answerSerial(sandbox.lastExchange()));
    // A client that names no public key gets certificate-signed answers.
    call(merchant().autoPlatformCertificates(sandbox.credentials().apiV3Key()).build());
    assertEquals(certificate, answerSerial(sandbox.lastExchange()));
  }

  @Test
  void afterTheSwitchoverTheDownloadIs404AndThePublicKeyCarriesOn() throws Exception {
    sandbox.keys().mode(SandboxKeys.Mode.PUBLIC_KEY);
    String publicKeyId = sandbox.credentials().wechatpayPublicKeyId();
    call(merchant().wechatpayPublicKey(publicKeyId, publicKeyFile())
        .autoPlatformCertificates(sandbox.credentials().apiV3Key()).build());
    assertEquals(404, sandbox.exchanges("downloadCertificates").get(0).status);
    assertEquals(publicKeyId, answerSerial(sandbox.lastExchange()));
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> merchant().autoPlatformCertificates(sandbox.credentials().apiV3Key()).build());
    assertTrue(e.getMessage().contains("404 NOT_FOUND"), e.getMessage());
  }
}
