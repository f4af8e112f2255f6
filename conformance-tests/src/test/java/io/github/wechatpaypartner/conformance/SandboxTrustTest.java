package io.github.wechatpaypartner.conformance;

import static io.github.wechatpaypartner.conformance.support.Causes.causedBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.SpecCalls;
import io.github.wechatpaypartner.exception.ResponseVerificationException;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SandboxCredentials;
import io.github.wechatpaypartner.sandbox.SandboxSettings;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.spec.SpecDocument;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point 1 of the sandbox issue: the sandbox makes (or loads, or takes from the user) what both sides
 * trust, writes the client's files, and a client built from those files alone talks to it with
 * full verification: no insecure option, and a client trusting another key refuses its answers.
 */
class SandboxTrustTest {
  private static final SpecDocument SPEC = SpecDocument.load(ModulePaths.spec());

  @Test
  void aClientBuiltFromTheWrittenFilesAloneTalksToItWithFullVerification(@TempDir Path dir) throws Exception {
    try (Sandbox sandbox = start(SandboxSettings.builder().clientFilesDir(dir))) {
      for (String file : new String[] {"apiclient_key.pem", "apiclient_cert.pem", "pub_key.pem", "apiv3_key.txt"}) {
        assertTrue(Files.isRegularFile(dir.resolve(file)), file);
      }
      WechatPayClient client = WechatPayClient.builder()
          .mchid(sandbox.credentials().mchid())
          .merchantCertificate(dir.resolve("apiclient_cert.pem"))
          .privateKey(dir.resolve("apiclient_key.pem"))
          .wechatpayPublicKey(sandbox.credentials().wechatpayPublicKeyId(), dir.resolve("pub_key.pem"))
          .apiV3Key(Files.readString(dir.resolve("apiv3_key.txt"), StandardCharsets.US_ASCII))
          .hosts(sandbox.uri())
          .build();
      assertFalse(client.toString().contains("NOT VERIFIED"), client::toString);
      callFirstExample(client);
      assertNull(sandbox.lastExchange().refusal);
    }
  }

  @Test
  void aClientTrustingAnotherKeyRefusesTheAnswers(@TempDir Path dir) throws Exception {
    try (Sandbox sandbox = start(SandboxSettings.builder().clientFilesDir(dir))) {
      WechatPayClient client = WechatPayClient.builder()
          .mchid(sandbox.credentials().mchid())
          .merchantCertificate(dir.resolve("apiclient_cert.pem"))
          .privateKey(dir.resolve("apiclient_key.pem"))
          .wechatpayPublicKey(sandbox.credentials().wechatpayPublicKeyId(), GeneratedCredentials.rsa2048().getPublic())
          .hosts(sandbox.uri())
          .build();
      try {
        callFirstExample(client);
        fail("an answer signed by a key the client does not trust was accepted");
      } catch (Exception e) {
        assertTrue(causedBy(e, ResponseVerificationException.class), e::toString);
      }
    }
  }

  @Test
  void aRestartWithTheSameFolderKeepsTheKeys(@TempDir Path dir) {
    SandboxCredentials first;
    try (Sandbox sandbox = start(SandboxSettings.builder().clientFilesDir(dir))) {
      first = sandbox.credentials();
    }
    SandboxCredentials again = SandboxCredentials.load(dir).orElseThrow();
    assertEquals(first.wechatpayPublicKeyId(), again.wechatpayPublicKeyId());
    assertEquals(first.merchantSerial(), again.merchantSerial());
    assertEquals(first.wechatpayKeys().getPublic(), again.wechatpayKeys().getPublic());
    assertEquals(first.apiV3Key(), again.apiV3Key());
    assertTrue(SandboxCredentials.load(dir.resolve("empty")).isEmpty());
  }

  @Test
  void itCanTrustTheUsersOwnMerchantCertificateWithoutTheirKey(@TempDir Path dir) throws Exception {
    SandboxCredentials user = SandboxCredentials.generate();
    Path userFiles = user.writeFiles(dir.resolve("user"));
    Path sandboxFiles = dir.resolve("sandbox");
    try (Sandbox sandbox = start(SandboxSettings.builder().clientFilesDir(sandboxFiles)
        .credentials(SandboxCredentials.trustingMerchant(user.mchid(), userFiles.resolve("apiclient_cert.pem"))))) {
      assertFalse(Files.exists(sandboxFiles.resolve("apiclient_key.pem")), "the sandbox never had the user's key");
      WechatPayClient client = WechatPayClient.builder()
          .mchid(user.mchid())
          .merchantCertificate(userFiles.resolve("apiclient_cert.pem"))
          .privateKey(userFiles.resolve("apiclient_key.pem"))
          .wechatpayPublicKey(sandbox.credentials().wechatpayPublicKeyId(), sandboxFiles.resolve("pub_key.pem"))
          .hosts(sandbox.uri())
          .build();
      callFirstExample(client);
      assertNull(sandbox.lastExchange().refusal);
    }
  }

  private static Sandbox start(SandboxSettings.Builder settings) {
    return Sandbox.start(settings.spec(ModulePaths.spec()).build());
  }

  private static void callFirstExample(WechatPayClient client) throws Exception {
    SpecOperation op = SPEC.operation("createDeliveryPlan");
    SpecCalls.call(client, op, SpecCalls.firstExample(op));
  }

}
