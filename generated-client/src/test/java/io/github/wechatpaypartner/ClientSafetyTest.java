package io.github.wechatpaypartner;

import io.github.wechatpaypartner.testing.FakeClients;
import static io.github.wechatpaypartner.testkit.FakeWechatPay.unsigned;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.client.api.DeliveryPlanApi;
import io.github.wechatpaypartner.client.api.PlatformCertificateApi;
import io.github.wechatpaypartner.client.api.ProductCouponApi;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest;
import io.github.wechatpaypartner.client.notification.NotificationHandler;
import io.github.wechatpaypartner.client.runtime.Interceptor;
import io.github.wechatpaypartner.client.runtime.OutgoingRequest;
import io.github.wechatpaypartner.exception.ConfigurationException;
import io.github.wechatpaypartner.exception.ResponseVerificationException;
import io.github.wechatpaypartner.exception.VerificationCheck;
import io.github.wechatpaypartner.testkit.FakeWechatPay;
import io.github.wechatpaypartner.testing.SpecExamples;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the client guarantees whatever its user does: no call sequence of the public API accepts
 * an unsigned answer from the real hosts, the mock option works with the mock's URI alone and
 * is refused for WeChat Pay, and the client's own signature cannot be replaced.
 */
class ClientSafetyTest {
  private final FakeWechatPay service = new FakeWechatPay();

  private static CreateDeliveryPlanRequest plan() {
    return SpecExamples.request("createDeliveryPlan", CreateDeliveryPlanRequest.class);
  }

  @Test
  void anUnsignedAnswerFromTheRealHostsIsRefused() {
    service.then(unsigned(200, SpecExamples.answer("createDeliveryPlan", 200)));
    WechatPayClient client = FakeClients.builder(service).build();
    ResponseVerificationException e = assertThrows(ResponseVerificationException.class,
        () -> client.deliveryPlanApi().createDeliveryPlan(plan()));
    assertEquals(VerificationCheck.MISSING_HEADER, e.check());
    assertEquals("api.mch.weixin.qq.com", service.requests().get(0).uri().getHost());
  }

  @Test
  void nothingPublicHandsOutTheCallPathOrAWayAroundIt() {
    // The generated APIs, one per tag of the spec, whatever tags it has: each in the API package.
    List<Class<?>> apis = new java.util.ArrayList<>();
    for (Method m : io.github.wechatpaypartner.client.WechatPayApis.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers())) {
        assertEquals(DeliveryPlanApi.class.getPackage(), m.getReturnType().getPackage(), m.getName());
        apis.add(m.getReturnType());
      }
    }
    assertTrue(apis.containsAll(List.of(DeliveryPlanApi.class, ProductCouponApi.class, PlatformCertificateApi.class)), apis::toString);
    Set<Class<?>> allowed = new java.util.HashSet<>(apis);
    allowed.addAll(Set.of(WechatPayClient.class, java.util.Optional.class, String.class,
        WechatPayClient.Builder.class,
        NotificationHandler.class));  // runs the parser and the application's action: no call path
    for (Method m : WechatPayClient.class.getMethods()) {
      if (m.getDeclaringClass() == WechatPayClient.class
          || m.getDeclaringClass() == io.github.wechatpaypartner.client.WechatPayApis.class) {
        assertTrue(allowed.contains(m.getReturnType()), "WechatPayClient." + m.getName()
            + " returns " + m.getReturnType().getName());
      }
    }
    for (Class<?> api : apis) {
      for (Constructor<?> c : api.getConstructors()) {
        assertEquals(List.of(ClientRuntime.class), Arrays.asList(c.getParameterTypes()),
            api.getSimpleName() + " can only be made from a ClientRuntime");
      }
      for (Method m : api.getMethods()) {
        assertFalse(m.getReturnType() == ClientRuntime.class, api.getSimpleName() + "." + m.getName());
      }
    }
    for (Constructor<?> c : ClientRuntime.class.getDeclaredConstructors()) {
      assertFalse(Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers()),
          "only WechatPayClient builds a ClientRuntime");
    }
    assertTrue(Modifier.isFinal(ClientRuntime.class.getModifiers()));
  }

  @Test
  void theMockOptionWorksWithTheMockUriAlone() {
    URI mock = URI.create("http://127.0.0.1:4010");
    service.then(unsigned(200, SpecExamples.answer("createDeliveryPlan", 200)));
    WechatPayClient client = WechatPayClient.builder().mchid(FakeWechatPay.KEYS.mchid())
        .merchantSerial(FakeWechatPay.KEYS.merchantSerial())
        .privateKey(FakeWechatPay.KEYS.merchantKeys().getPrivate())
        .insecureMockServerWithoutResponseVerification(mock)
        .transport(service)
        .build();
    assertNotNull(client.deliveryPlanApi().createDeliveryPlan(plan()).getPlan());
    assertEquals(mock.getAuthority(), service.requests().get(0).uri().getAuthority());
    assertTrue(client.toString().contains("NOT VERIFIED"), client.toString());
  }

  @Test
  void theMockOptionIsRefusedForWechatPayHosts() {
    ConfigurationException direct = assertThrows(ConfigurationException.class,
        () -> WechatPayClient.builder().insecureMockServerWithoutResponseVerification(
            URI.create("https://api2.mch.weixin.qq.com")));
    assertTrue(direct.getMessage().contains("always verified"), direct.getMessage());
    WechatPayClient.Builder mixed = FakeClients.builder(service, URI.create("https://api.mch.weixin.qq.com"))
        .insecureMockServerWithoutResponseVerification(URI.create("http://127.0.0.1:4010"));
    assertThrows(ConfigurationException.class, mixed::build);
  }

  @Test
  void anInterceptorCannotReplaceTheClientsSignature() {
    WechatPayClient client = FakeClients.builder(service)
        .header("Authorization", "WECHATPAY2-SHA256-RSA2048 forged")
        .header("X-Trace", "abc")
        .build();
    client.withHeader("Wechatpay-Serial", "PUB_KEY_ID_FORGED").deliveryPlanApi().createDeliveryPlan(plan());
    OutgoingRequest sent = service.requests().get(0);
    assertFalse(sent.header("Authorization").contains("forged"));
    assertEquals(FakeWechatPay.KEYS.wechatpayPublicKeyId(), sent.header("Wechatpay-Serial"));
    assertEquals("abc", sent.header("X-Trace"));
  }

  @Test
  void interceptorsRunInOrderAndSeeTheCallContext() {
    StringBuilder order = new StringBuilder();
    Interceptor first = chain -> {
      order.append("1:").append(chain.context().operation().id()).append('#').append(chain.context().attempt());
      return chain.proceed(chain.request());
    };
    Interceptor second = chain -> {
      order.append(" 2:").append(chain.context().host());
      return chain.proceed(chain.request());
    };
    FakeClients.builder(service).interceptor(first).build().withInterceptor(second)
        .deliveryPlanApi().createDeliveryPlan(plan());
    assertEquals("1:createDeliveryPlan#1 2:https://api.mch.weixin.qq.com", order.toString());
  }

  @Test
  void missingSettingsAndBadHostsAreNamed() {
    ConfigurationException missing = assertThrows(ConfigurationException.class,
        () -> WechatPayClient.builder().build());
    assertTrue(missing.getMessage().contains("mchid") && missing.getMessage().contains("privateKey")
        && missing.getMessage().contains("wechatpayPublicKey"), missing.getMessage());
    ConfigurationException path = assertThrows(ConfigurationException.class,
        () -> FakeClients.builder(service, URI.create("https://example.com/v3")).build());
    assertTrue(path.getMessage().contains("hosts[0] must be an origin"), path.getMessage());
    ConfigurationException twice = assertThrows(ConfigurationException.class,
        () -> FakeClients.builder(service, URI.create("https://a.example"), URI.create("https://A.example")).build());
    assertTrue(twice.getMessage().contains("repeats"), twice.getMessage());
  }

  @Test
  void toStringNamesTheMerchantNeverAKey() {
    String text = FakeClients.builder(service).build().toString();
    assertTrue(text.contains(FakeWechatPay.KEYS.mchid()), text);
    assertFalse(text.contains("PRIVATE"), text);
  }
}
