package io.github.wechatpaypartner.benchmarks;

import io.github.wechatpaypartner.signing.verify.HeaderLookup;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Our signing plus verification of one request/answer pair, signing module only (no network, no
 * JSON): {@code RequestSigner#headers} of the typical request, then {@code SignatureVerifier#check}
 * of its signed 200 answer's headers, as the client's signing and answer-check steps call them.
 * Compare with {@link FloorBenchmark} of the same provider.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HooksBenchmark {

  @Param({Providers.JDK, Providers.ACCP})
  public String provider;

  private OurHooks hooks;
  private String path;
  private byte[] requestBody;
  private byte[] answerBody;
  private HttpHeaders answerHeaders;

  @Setup
  public void setUp() {
    SpecFixtures.Operation typical = SpecFixtures.load().typical();
    TestKeys keys = TestKeys.generate();
    hooks = OurHooks.create(keys, Providers.byName(provider));
    path = typical.path;
    requestBody = typical.requestBytes();
    answerBody = typical.responseBytes();
    // Signed once per trial: a trial is far shorter than the five-minute timestamp window.
    answerHeaders = signedAnswer(answerBody, keys.wechatPay.getPrivate());

    // The measured verifier must really verify: an answer signed by another key is rejected.
    HttpHeaders forged = signedAnswer(answerBody, keys.stranger.getPrivate());
    if (hooks.verifier.check(HeaderLookup.of(forged), answerBody).isEmpty()) {
      throw new IllegalStateException(provider + ": an answer signed with a wrong key was accepted");
    }
    verify();
    if (!hooks.signer.headers("POST", path, requestBody).containsKey("Authorization")) {
      throw new IllegalStateException("the signer added no Authorization header");
    }
  }

  /** The headers of a 200 answer with {@code body}, signed with {@code key} as the service signs. */
  static HttpHeaders signedAnswer(byte[] body, java.security.PrivateKey key) {
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    String nonce = WireMessages.nonce();
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Content-Type", List.of("application/json; charset=utf-8"));
    headers.put("Request-ID", List.of("08B0B7A9C10610A1E9AE4B18A2E2E90D20D8A401-1"));
    headers.put("Wechatpay-Timestamp", List.of(timestamp));
    headers.put("Wechatpay-Nonce", List.of(nonce));
    headers.put("Wechatpay-Signature",
        List.of(WireMessages.signBase64(key, WireMessages.responseMessage(timestamp, nonce, body))));
    headers.put("Wechatpay-Serial", List.of(TestKeys.TEST_PUBLIC_KEY_ID));
    headers.put("Wechatpay-Signature-Type", List.of("WECHATPAY2-SHA256-RSA2048"));
    return HttpHeaders.of(headers, (name, value) -> true);
  }

  private void verify() {
    hooks.verifier.check(HeaderLookup.of(answerHeaders), answerBody).ifPresent(failure -> {
      throw new IllegalStateException(provider + ": a correctly signed answer failed: " + failure.detail());
    });
  }

  @Benchmark
  public Map<String, String> signAndVerify() {
    Map<String, String> headers = hooks.signer.headers("POST", path, requestBody);
    verify();
    return headers;
  }
}
