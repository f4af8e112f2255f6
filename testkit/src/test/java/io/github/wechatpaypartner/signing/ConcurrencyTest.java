package io.github.wechatpaypartner.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.signing.keys.MerchantCredentials;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import io.github.wechatpaypartner.signing.sign.RequestSigner;
import io.github.wechatpaypartner.testkit.ServiceSigner;
import io.github.wechatpaypartner.signing.verify.HeaderLookup;
import io.github.wechatpaypartner.signing.verify.SignatureVerifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Two merchants (and two WeChat Pay keys) signing and verifying at once in one JVM. */
class ConcurrencyTest {
  private static final Pattern FIELD = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  @Test
  void manyThreadsTwoIdentitiesAllCorrect() throws Exception {
    KeyPair keyA = TestPki.merchantKey();
    KeyPair keyB = TestPki.otherKey();
    RequestSigner signerA = RequestSigner.builder(
        MerchantCredentials.of("1900000001", "AAAA01", keyA.getPrivate()), "PUB_KEY_ID_01AAAA")
        .provider(CryptoProvider.jdk()).build();
    RequestSigner signerB = RequestSigner.builder(
        MerchantCredentials.of("1900000002", "BBBB02", keyB.getPrivate()), "PUB_KEY_ID_02BBBB")
        .provider(CryptoProvider.jdk()).build();

    // Client A trusts the WeChat Pay key, client B the "other" key: each must reject the other's.
    ServiceSigner wechatpayA = new ServiceSigner(TestPki.wechatpayKey().getPrivate(), "PUB_KEY_ID_01AAAA", Clock.systemUTC());
    ServiceSigner wechatpayB = new ServiceSigner(keyB.getPrivate(), "PUB_KEY_ID_02BBBB", Clock.systemUTC());
    SignatureVerifier verifierA = new SignatureVerifier(WechatPayKeySet.builder()
        .publicKey("PUB_KEY_ID_01AAAA", TestPki.wechatpayKey().getPublic()).build(),
        CryptoProvider.jdk(), Clock.systemUTC());
    SignatureVerifier verifierB = new SignatureVerifier(WechatPayKeySet.builder()
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
            Map<String, String> headers = (a ? signerA : signerB)
                .headers("POST", RequestSigner.canonicalUrl(uri), body);
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
            Map<String, String> own = (a ? wechatpayA : wechatpayB).headers(now, "n" + i, body);
            Map<String, String> foreign = (a ? wechatpayB : wechatpayA).headers(now, "n" + i, body);
            SignatureVerifier verifier = a ? verifierA : verifierB;
            assertEquals(Optional.empty(), verifier.check(HeaderLookup.of(own), body));
            assertTrue(verifier.check(HeaderLookup.of(foreign), body).isPresent(), "a foreign answer was accepted");
            checked++;
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

}
