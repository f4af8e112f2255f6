package io.github.wechatpaypartner.benchmarks;

import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.http.Constant;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.core.http.HttpHeaders;
import com.wechat.pay.java.core.http.JsonRequestBody;
import com.wechat.pay.java.core.http.MediaType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The official SDK (com.github.wechatpay-apiv3:wechatpay-java) in WeChat Pay public key mode, making
 * the generic HTTP call a user of these endpoints has to make (the SDK has no service for them):
 * {@code HttpClient#post} with a full URL and a JSON body, the answer parsed by the SDK's Gson.
 * It signs with {@code Signature.getInstance("SHA256withRSA")}: the JDK provider, not configurable.
 */
public final class OfficialClient {
  private OfficialClient() {
  }

  public static HttpClient httpClient(TestKeys keys) {
    return new DefaultHttpClientBuilder().config(config(keys)).build();
  }

  /** Public key mode: merchant id, key and serial, WeChat Pay public key and its id, APIv3 key. */
  public static RSAPublicKeyConfig config(TestKeys keys) {
    return new RSAPublicKeyConfig.Builder()
        .merchantId(TestKeys.TEST_MCHID)
        .privateKey(keys.merchant.getPrivate())
        .merchantSerialNumber(keys.merchantSerial)
        .publicKey(keys.wechatPay.getPublic())
        .publicKeyId(TestKeys.TEST_PUBLIC_KEY_ID)
        .apiV3Key(TestKeys.TEST_API_V3_KEY)
        .build();
  }

  /**
   * The call of one operation. The body string is serialized once here (from the spec's example),
   * so the official side pays no serialization per call: a conservative comparison for us.
   */
  public static RoundTrip call(HttpClient client, String baseUri, SpecFixtures.Operation op) {
    return call(client, baseUri + op.path, op.requestBytes());
  }

  /** As a new user starts (cold start, memory): the key files of {@link KeyFiles}. */
  public static HttpClient httpClient(KeyFiles files) throws IOException {
    RSAPublicKeyConfig config = new RSAPublicKeyConfig.Builder()
        .merchantId(TestKeys.TEST_MCHID)
        .privateKeyFromPath(files.privateKey().toString())
        .merchantSerialNumber(files.merchantSerial())
        .publicKeyFromPath(files.wechatpayPublicKey().toString())
        .publicKeyId(TestKeys.TEST_PUBLIC_KEY_ID)
        .apiV3Key(TestKeys.TEST_API_V3_KEY)
        .build();
    return new DefaultHttpClientBuilder().config(config).build();
  }

  /** The POST of {@code requestJson} to {@code url}, its answer parsed into a Map. */
  public static RoundTrip call(HttpClient client, String url, byte[] requestJson) {
    String operation = url.substring(url.lastIndexOf('/') + 1);
    String body = new String(requestJson, StandardCharsets.UTF_8);
    return () -> {
      HttpHeaders headers = new HttpHeaders();
      headers.addHeader(Constant.ACCEPT, MediaType.APPLICATION_JSON.getValue());
      headers.addHeader(Constant.CONTENT_TYPE, MediaType.APPLICATION_JSON.getValue());
      // A generic call has no model class: the SDK's Gson parses the answer into a Map tree.
      Map<?, ?> answer = client.post(headers, url, new JsonRequestBody.Builder().body(body).build(),
          Map.class).getServiceResponse();
      if (answer == null || answer.isEmpty()) {
        throw new IllegalStateException(operation + ": empty answer");
      }
      return answer;
    };
  }

  /** The official side of {@link ColdStartChild}. */
  static final class ColdStart implements ColdStartChild.Subject {
    private HttpClient client;
    private String baseUri;

    @Override
    public void build(KeyFiles files, String baseUri) throws IOException {
      client = httpClient(files);
      this.baseUri = baseUri;
    }

    @Override
    public RoundTrip prepare(KeyFiles files) throws IOException {
      return call(client, baseUri + files.path(), files.requestJson());
    }
  }
}
