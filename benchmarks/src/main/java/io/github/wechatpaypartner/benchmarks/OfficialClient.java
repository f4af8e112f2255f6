package io.github.wechatpaypartner.benchmarks;

import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.http.Constant;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.core.http.HttpHeaders;
import com.wechat.pay.java.core.http.JsonRequestBody;
import com.wechat.pay.java.core.http.MediaType;
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
    String url = baseUri + op.path;
    String body = new String(op.requestBytes(), StandardCharsets.UTF_8);
    return () -> {
      HttpHeaders headers = new HttpHeaders();
      headers.addHeader(Constant.ACCEPT, MediaType.APPLICATION_JSON.getValue());
      headers.addHeader(Constant.CONTENT_TYPE, MediaType.APPLICATION_JSON.getValue());
      // A generic call has no model class: the SDK's Gson parses the answer into a Map tree.
      Map<?, ?> answer = client.post(headers, url, new JsonRequestBody.Builder().body(body).build(),
          Map.class).getServiceResponse();
      if (answer == null || answer.isEmpty()) {
        throw new IllegalStateException(op.operationId + ": empty answer");
      }
      return answer;
    };
  }
}
