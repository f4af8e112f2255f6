package io.github.wechatpaypartner.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.wechat.pay.java.core.RSAAutoCertificateConfig;
import com.wechat.pay.java.core.certificate.AutoCertificateService;
import com.wechat.pay.java.core.http.Constant;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.core.http.HttpHeaders;
import com.wechat.pay.java.core.http.JsonRequestBody;
import com.wechat.pay.java.core.http.MediaType;
import io.github.wechatpaypartner.conformance.support.ExamplePaths;
import io.github.wechatpaypartner.conformance.support.ModulePaths;
import io.github.wechatpaypartner.conformance.support.SuiteSandbox;
import io.github.wechatpaypartner.sandbox.RecordedExchange;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SandboxCredentials;
import io.github.wechatpaypartner.sandbox.SandboxKeys;
import io.github.wechatpaypartner.sandbox.junit.SandboxExtension;
import io.github.wechatpaypartner.spec.SpecDocument;
import io.github.wechatpaypartner.spec.SpecDocument.SpecOperation;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import java.net.URI;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 21, point 5: the official SDK (wechatpay-java) in its automatic-certificate mode
 * ({@code RSAAutoCertificateConfig}) sets itself up from the sandbox's {@code GET
 * /v3/certificates} (decrypting with the APIv3 key) and verifies the sandbox's certificate-signed
 * answers to the three operations.
 */
class OfficialSdkCertificatesTest {
  /**
   * wechatpay-java keeps auto-certificate providers in static maps keyed by merchant id
   * (core/.../certificate/AutoCertificateService.java) and refuses a second one for the same
   * merchant: this class uses a merchant id of its own.
   */
  private static final String MCHID = "1900002121";

  @RegisterExtension
  static final SandboxExtension SANDBOX = SuiteSandbox.perClass(
      s -> s.credentials(SandboxCredentials.of(GeneratedCredentials.generate(MCHID)))
          .keyMode(SandboxKeys.Mode.PLATFORM_CERTIFICATE));
  private static final SpecDocument SPEC = SpecDocument.load(ModulePaths.spec());

  @AfterAll
  static void stopTheSdksDownloads() {
    AutoCertificateService.unregister(MCHID, "RSA");
  }

  @Test
  void theAutomaticCertificateConfigDownloadsFromTheSandboxAndVerifiesItsAnswers(Sandbox sandbox) {
    sandbox.reset();
    SandboxCredentials c = sandbox.credentials();
    RSAAutoCertificateConfig config = new RSAAutoCertificateConfig.Builder()
        .merchantId(c.mchid())
        .privateKey(c.merchantPrivateKey().orElseThrow())
        .merchantSerialNumber(c.merchantSerial())
        .apiV3Key(c.apiV3Key())
        // Its download URL is fixed (RSAAutoCertificateProvider.REQUEST_URL,
        // https://api.mch.weixin.qq.com/v3/certificates?algorithm_type=RSA): sent to the sandbox
        // instead, after signing (the signature covers the path and query, not the host).
        .httpClientBuilder(new DefaultHttpClientBuilder().okHttpClient(toSandbox(sandbox.uri())))
        .build();
    RecordedExchange download = sandbox.exchanges("downloadCertificates").get(0);
    assertEquals(200, download.status, download::toString);
    assertEquals("/v3/certificates", download.path);

    HttpClient official = new DefaultHttpClientBuilder().config(config).build();
    for (SpecOperation op : SPEC.operations().values()) {
      if (op.requestExamples().isEmpty()) {
        continue; // downloadCertificates: done above by the SDK itself
      }
      HttpHeaders headers = new HttpHeaders();
      headers.addHeader(Constant.ACCEPT, MediaType.APPLICATION_JSON.getValue());
      headers.addHeader(Constant.CONTENT_TYPE, MediaType.APPLICATION_JSON.getValue());
      String body = op.requestExamples().values().iterator().next().toString();
      // The SDK verifies the answer with the downloaded certificate, or throws.
      official.post(headers, sandbox.uri() + ExamplePaths.path(op), new JsonRequestBody.Builder().body(body).build(),
          Object.class);
      RecordedExchange seen = sandbox.lastExchange();
      assertNull(seen.refusal, seen::toString);
      assertEquals(List.of(sandbox.keys().signingSerial()), seen.responseHeaders.get("Wechatpay-Serial"));
      assertEquals(List.of(sandbox.keys().signingSerial()), seen.requestHeaders.get("Wechatpay-Serial"),
          "the SDK names the certificate it downloaded");
    }
  }

  private static OkHttpClient toSandbox(URI sandbox) {
    return new OkHttpClient.Builder().addInterceptor(chain -> {
      HttpUrl url = chain.request().url();
      HttpUrl local = url.newBuilder().scheme(sandbox.getScheme()).host(sandbox.getHost()).port(sandbox.getPort()).build();
      return chain.proceed(chain.request().newBuilder().url(local).build());
    }).build();
  }
}
