package io.github.wechatpaypartner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.wechatpaypartner.client.runtime.ApiCall;
import io.github.wechatpaypartner.client.runtime.Operation;
import io.github.wechatpaypartner.client.runtime.OutgoingRequest;
import io.github.wechatpaypartner.testing.FakeClients;
import io.github.wechatpaypartner.testkit.FakeWechatPay;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every method the APIv3 uses, through the whole call path, signed and checked by the fake's
 * {@code RequestAuthentication} (as the service checks: method, the exact path and query sent,
 * the exact body): path and query values percent-encoded (a space is {@code %20}, reserved
 * characters escaped), query values in the order the call gives them, times in the pages' format;
 * GET and DELETE without a body (the signature's body line empty), PUT, PATCH and POST with one;
 * a 204 read as no answer, a 200 as its type. Spec-independent: the operations are made here.
 */
class MethodsAndParametersTest {
  private static final String PATH = "/v3/marketing/partner/things/{thing_id}";
  private static final OffsetDateTime TIME = OffsetDateTime.of(2025, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(8));

  @ParameterizedTest
  @ValueSource(strings = {"GET", "DELETE", "PUT", "PATCH", "POST"})
  void signedUrlIsTheOneSentAndABodyOnlyWhereTheMethodHasOne(String method) throws Exception {
    FakeWechatPay service = new FakeWechatPay().then(FakeWechatPay.answer(204, ""), FakeWechatPay.ok("{\"thing_id\":\"a b/ü\"}"));
    ClientRuntime runtime = runtime(FakeClients.builder(service).build());
    boolean body = !method.equals("GET") && !method.equals("DELETE");

    assertNull(runtime.execute(call(method, Void.class, body)), "a 204 has no answer");
    Map<?, ?> answer = runtime.execute(call(method, Map.class, body));
    assertEquals(Map.of("thing_id", "a b/ü"), answer);

    for (OutgoingRequest sent : service.requests()) {
      assertEquals(method, sent.method());
      // Accepted by the fake's signature check, so this is also exactly what was signed.
      assertEquals("/v3/marketing/partner/things/a%20b%2F%C3%BC", sent.uri().getRawPath());
      assertEquals("z_last=1%202&a_first=x%26y%3Dz%2B1&time=2025-01-02T03%3A04%3A05%2B08%3A00",
          sent.uri().getRawQuery());
      assertArrayEquals(body ? "{\"k\":\"v\"}".getBytes(StandardCharsets.UTF_8) : new byte[0], sent.body());
    }
    assertEquals(2, service.requests().size(), "a refused signature would have been answered 401 and retried never");
  }

  private static <T> ApiCall<T> call(String method, Class<T> answer, boolean body) {
    ApiCall<T> call = ApiCall.of(new Operation("probe" + method, method, PATH, 0, List.of()), answer)
        .pathParam("thing_id", "a b/ü")
        .queryParam("z_last", "1 2", true)
        .queryParam("a_first", "x&y=z+1", true)
        .queryParam("time", TIME, false)
        .queryParam("absent", null, false);
    return body ? call.body(Map.of("k", "v"), true) : call;
  }

  /** The runtime the client hands its generated APIs (private: no API exists without the client's signing). */
  private static ClientRuntime runtime(WechatPayClient client) throws ReflectiveOperationException {
    Field f = WechatPayClient.class.getDeclaredField("runtime");
    f.setAccessible(true);
    return (ClientRuntime) f.get(client);
  }
}
