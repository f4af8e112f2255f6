package io.github.wechatpaypartner.benchmarks;

import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.auth.Credential;
import com.wechat.pay.java.core.auth.Validator;
import com.wechat.pay.java.core.http.HttpHeaders;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The official SDK's counterpart of {@link HooksBenchmark}: its Credential builds the
 * Authorization of the typical request, its Validator checks the signed answer (JDK provider,
 * the only one it uses). No network, no JSON.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OfficialHooksBenchmark {
  private Credential credential;
  private Validator validator;
  private URI uri;
  private String requestBody;
  private HttpHeaders answerHeaders;
  private String answerBody;

  @Setup
  public void setUp() {
    SpecFixtures.Operation typical = SpecFixtures.load().typical();
    TestKeys keys = TestKeys.generate();
    RSAPublicKeyConfig config = OfficialClient.config(keys);
    credential = config.createCredential();
    validator = config.createValidator();
    uri = URI.create("https://api.mch.weixin.qq.com" + typical.path);
    requestBody = new String(typical.requestBytes(), StandardCharsets.UTF_8);
    byte[] body = typical.responseBytes();
    answerBody = new String(body, StandardCharsets.UTF_8);
    answerHeaders = headers(body, keys.wechatPay.getPrivate());
    if (validator.validate(headers(body, keys.stranger.getPrivate()), answerBody)
        || !validator.validate(answerHeaders, answerBody)) {
      throw new IllegalStateException("the official validator does not tell right from wrong signatures");
    }
  }

  private static HttpHeaders headers(byte[] body, java.security.PrivateKey key) {
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    String nonce = WireMessages.nonce();
    Map<String, String> headers = new HashMap<>();
    headers.put("Request-ID", "08B0B7A9C10610A1E9AE4B18A2E2E90D20D8A401-1");
    headers.put("Wechatpay-Timestamp", timestamp);
    headers.put("Wechatpay-Nonce", nonce);
    headers.put("Wechatpay-Signature",
        WireMessages.signBase64(key, WireMessages.responseMessage(timestamp, nonce, body)));
    headers.put("Wechatpay-Serial", TestKeys.TEST_PUBLIC_KEY_ID);
    return new HttpHeaders(headers);
  }

  @Benchmark
  public String signAndVerify() {
    String authorization = credential.getAuthorization(uri, "POST", requestBody);
    if (!validator.validate(answerHeaders, answerBody)) {
      throw new IllegalStateException("verification failed");
    }
    return authorization;
  }
}
