package io.github.wechatpaypartner.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.client.hook.IncomingResponse;
import io.github.wechatpaypartner.client.hook.OutgoingRequest;
import io.github.wechatpaypartner.signing.keys.MerchantCredentials;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import io.github.wechatpaypartner.signing.sign.RequestSigner;
import io.github.wechatpaypartner.signing.sign.SigningRequestHook;
import io.github.wechatpaypartner.signing.verify.ResponseVerificationException;
import io.github.wechatpaypartner.signing.verify.ResponseVerifier;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Two merchants (and two WeChat Pay keys) signing and verifying at once in one JVM. */
class ConcurrencyTest {
  private static final Pattern FIELD = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  @Test
  void manyThreadsTwoIdentitiesAllCorrect() throws Exception {
    KeyPair keyA = TestPki.merchantKey();
    KeyPair keyB = TestPki.otherKey();
    SigningRequestHook hookA = new SigningRequestHook(RequestSigner.builder(
        MerchantCredentials.of("1900000001", "AAAA01", keyA.getPrivate()), "PUB_KEY_ID_01AAAA")
        .provider(CryptoProvider.jdk()).build());
    SigningRequestHook hookB = new SigningRequestHook(RequestSigner.builder(
        MerchantCredentials.of("1900000002", "BBBB02", keyB.getPrivate()), "PUB_KEY_ID_02BBBB")
        .provider(CryptoProvider.jdk()).build());

    // Client A trusts the WeChat Pay key, client B the "other" key: each must reject the other's.
    WechatPaySide wechatpayA = new WechatPaySide(TestPki.wechatpayKey().getPrivate(), "PUB_KEY_ID_01AAAA");
    WechatPaySide wechatpayB = new WechatPaySide(keyB.getPrivate(), "PUB_KEY_ID_02BBBB");
    ResponseVerifier verifierA = ResponseVerifier.of(WechatPayKeySet.builder()
        .publicKey("PUB_KEY_ID_01AAAA", TestPki.wechatpayKey().getPublic()).build(),
        CryptoProvider.jdk(), Clock.systemUTC());
    ResponseVerifier verifierB = ResponseVerifier.of(WechatPayKeySet.builder()
        .publicKey("PUB_KEY_ID_02BBBB", keyB.getPublic()).build(),
        CryptoProvider.jdk(), Clock.systemUTC());

    int threads = 8;
    int rounds = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        boolean a = t % 2 == 0;
        int thread = t;
        Callable<Integer> work = () -> {
          start.await();
          int checked = 0;
          for (int i = 0; i < rounds; i++) {
            byte[] body = ("{\"thread\":" + thread + ",\"i\":" + i + ",\"名\":\"券\"}")
                .getBytes(StandardCharsets.UTF_8);
            URI uri = URI.create("https://api.mch.weixin.qq.com/v3/t/" + thread + "?i=" + i);
            Map<String, String> headers = (a ? hookA : hookB)
                .headersFor(new OutgoingRequest("op", "POST", uri, body));
            Map<String, String> fields = fields(headers.get("Authorization"));
            assertEquals(a ? "1900000001" : "1900000002", fields.get("mchid"));
            String message = "POST\n/v3/t/" + thread + "?i=" + i + "\n" + fields.get("timestamp")
                + "\n" + fields.get("nonce_str") + "\n" + new String(body, StandardCharsets.UTF_8)
                + "\n";
            assertTrue(verifies(a ? keyA.getPublic() : keyB.getPublic(), message,
                fields.get("signature")));
            assertFalse(verifies(a ? keyB.getPublic() : keyA.getPublic(), message,
                fields.get("signature")));

            long now = System.currentTimeMillis() / 1000;
            IncomingResponse own = response((a ? wechatpayA : wechatpayB).headers(now, "n" + i, body), body);
            IncomingResponse foreign = response((a ? wechatpayB : wechatpayA).headers(now, "n" + i, body), body);
            (a ? verifierA : verifierB).onResponse(own);
            try {
              (a ? verifierA : verifierB).onResponse(foreign);
              throw new AssertionError("a foreign answer was accepted");
            } catch (ResponseVerificationException expected) {
              checked++;
            }
          }
          return checked;
        };
        results.add(pool.submit(work));
      }
      start.countDown();
      for (Future<Integer> result : results) {
        assertEquals(rounds, result.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static boolean verifies(PublicKey key, String message, String signature) throws Exception {
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(key);
    verifier.update(message.getBytes(StandardCharsets.UTF_8));
    return verifier.verify(Base64.getDecoder().decode(signature));
  }

  private static Map<String, String> fields(String header) {
    Map<String, String> out = new java.util.HashMap<>();
    Matcher m = FIELD.matcher(header);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  private static IncomingResponse response(Map<String, String> headers, byte[] body) {
    return new IncomingResponse(new OutgoingRequest("op", "POST", URI.create("https://h/v3/t"), body),
        200, HttpHeaders.of(headers.entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))),
            (x, y) -> true), body);
  }
}
