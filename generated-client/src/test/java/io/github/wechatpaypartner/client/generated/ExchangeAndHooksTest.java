package io.github.wechatpaypartner.client.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.client.ApiClient;
import io.github.wechatpaypartner.client.ApiException;
import io.github.wechatpaypartner.client.api.DeliveryPlanApi;
import io.github.wechatpaypartner.client.api.ProductCouponApi;
import io.github.wechatpaypartner.client.hook.OutgoingRequest;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanResponse;
import io.github.wechatpaypartner.client.model.UpdateStockBudgetRequest;
import io.swagger.v3.oas.models.Operation;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generated APIs on a loopback server: the request hook signs exactly the bytes that arrive,
 * the default headers are sent, the response hook runs before deserialization and can veto it,
 * non-2xx answers become ApiException, and a request timeout applies.
 */
class ExchangeAndHooksTest {
  private static final String REQUEST_ID = "08F78BB5AF0610D302189F0B20A6CC1028C0F3D5E501-0";

  private LoopbackServer server;
  private ApiClient client;
  private final List<OutgoingRequest> hooked = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = new LoopbackServer();
    client = new ApiClient(server.baseUri()).setRequestHook(request -> {
      hooked.add(request);
      return Map.of("Authorization", "TEST-ONLY signature-over-" + request.body().length + "-bytes",
          "Wechatpay-Serial", "PUB_KEY_ID_TEST_ONLY");
    });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static JsonNode firstExample(String operationId, boolean request) {
    Operation op = SpecSupport.operations().get(operationId);
    if (request) {
      return SpecSupport.examples(operationId, SpecSupport.json(op.getRequestBody().getContent())).get(0).value;
    }
    return op.getResponses().entrySet().stream().filter(r -> r.getKey().startsWith("2"))
        .flatMap(r -> SpecSupport.examples(r.getKey(), SpecSupport.json(r.getValue().getContent())).stream())
        .findFirst().orElseThrow().value;
  }

  private void answerWithExample(String operationId) throws IOException {
    server.answer(200, SpecSupport.MAPPER.writeValueAsBytes(firstExample(operationId, false)),
        Map.of("Request-ID", REQUEST_ID));
  }

  private static CreateDeliveryPlanRequest planRequest() throws IOException {
    return SpecSupport.MAPPER.treeToValue(firstExample("createDeliveryPlan", true), CreateDeliveryPlanRequest.class);
  }

  @Test
  void requestHookSeesExactlyTheBytesThatArrive() throws Exception {
    answerWithExample("createDeliveryPlan");

    CreateDeliveryPlanResponse answer = new DeliveryPlanApi(client).createDeliveryPlan(planRequest());

    assertEquals(1, hooked.size());
    assertEquals(1, server.received.size());
    LoopbackServer.Received got = server.received.get(0);
    assertArrayEquals(hooked.get(0).body(), got.body);
    assertEquals("createDeliveryPlan", hooked.get(0).operationId());
    assertEquals("POST", got.method);
    assertEquals(hooked.get(0).uri().getRawPath(), got.rawPathAndQuery);
    assertEquals("TEST-ONLY signature-over-" + got.body.length + "-bytes", got.header("Authorization"));
    assertEquals("PUB_KEY_ID_TEST_ONLY", got.header("Wechatpay-Serial"));
    assertEquals("application/json", got.header("Accept"));
    assertEquals("application/json", got.header("Content-Type"));
    assertTrue(Pattern.matches("wechatpay-partner-java/" + Pattern.quote(ApiClient.SDK_VERSION)
        + " \\(Java/[^;]+; [^/]+/\\S+ \\S+\\)", got.header("User-Agent")), got.header("User-Agent"));
    // What arrived is the request, serialized once; what came back is the example.
    assertEquals(List.of(), JsonTrees.differences(firstExample("createDeliveryPlan", true), SpecSupport.MAPPER.readTree(got.body)));
    assertEquals(SpecSupport.MAPPER.treeToValue(firstExample("createDeliveryPlan", false), CreateDeliveryPlanResponse.class), answer);
  }

  @Test
  void asyncVariantUsesTheSameExchangeAndHooks() throws Exception {
    answerWithExample("updateStockBudget");
    UpdateStockBudgetRequest body = SpecSupport.MAPPER.treeToValue(
        firstExample("updateStockBudget", true), UpdateStockBudgetRequest.class);

    Object stock = new ProductCouponApi(client).updateStockBudgetAsync("1000000013", "1000000013001", body).get();

    assertNotNull(stock);
    assertEquals(1, server.received.size());
    assertArrayEquals(hooked.get(0).body(), server.received.get(0).body);
    assertEquals(SpecSupport.openApi().getPaths().keySet().stream().filter(p -> p.endsWith("/update-budget"))
        .findFirst().orElseThrow().replace("{product_coupon_id}", "1000000013").replace("{stock_id}", "1000000013001"),
        server.received.get(0).rawPathAndQuery);
  }

  @Test
  void throwingResponseHookStopsDeserialization() throws Exception {
    answerWithExample("createDeliveryPlan");
    IllegalStateException veto = new IllegalStateException("signature of the answer does not verify");
    AtomicInteger hookCalls = new AtomicInteger();
    CountingMapper mapper = new CountingMapper(ApiClient.createDefaultObjectMapper());
    client.setObjectMapper(mapper).setResponseHook(response -> {
      hookCalls.incrementAndGet();
      assertEquals(REQUEST_ID, response.requestId());
      throw veto;
    });
    DeliveryPlanApi api = new DeliveryPlanApi(client);

    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> api.createDeliveryPlan(planRequest()));
    ExecutionException async = assertThrows(ExecutionException.class, () -> api.createDeliveryPlanAsync(planRequest()).get());

    assertSame(veto, thrown);
    assertSame(veto, async.getCause());
    assertEquals(2, hookCalls.get());
    assertEquals(0, mapper.reads.get(), "no model may be built from a rejected answer");
  }

  @Test
  void non2xxBecomesApiExceptionWithEverything() throws Exception {
    ObjectNode error = (ObjectNode) errorExample();
    ObjectNode detail = error.has("detail") ? (ObjectNode) error.get("detail") : error.putObject("detail");
    detail.put("field", "out_request_no").put("issue", "too long").put("location", "body");
    byte[] raw = SpecSupport.MAPPER.writeValueAsBytes(error);
    server.answer(400, raw, Map.of("Request-ID", REQUEST_ID));

    ApiException e = assertThrows(ApiException.class, () -> new DeliveryPlanApi(client).createDeliveryPlan(planRequest()));

    assertEquals(400, e.getCode());
    assertEquals(REQUEST_ID, e.getRequestId());
    assertEquals(error.get("code").asText(), e.getErrorCode());
    assertEquals(error.get("message").asText(), e.getErrorMessage());
    assertEquals("out_request_no", e.getError().getDetail().getField());
    assertEquals("too long", e.getError().getDetail().getIssue());
    assertArrayEquals(raw, e.getRawBody());
    assertEquals(new String(raw, StandardCharsets.UTF_8), e.getResponseBody());
    assertEquals("createDeliveryPlan", e.getOperationId());
    assertTrue(e.getMessage().contains(REQUEST_ID) && e.getMessage().contains(error.get("code").asText()), e.getMessage());
  }

  @Test
  void nonJsonErrorBodyIsKeptRaw() throws Exception {
    byte[] raw = "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8);
    server.answer(502, raw, Map.of());

    ApiException e = assertThrows(ApiException.class, () -> new DeliveryPlanApi(client).createDeliveryPlan(planRequest()));

    assertEquals(502, e.getCode());
    assertEquals(null, e.getError());
    assertArrayEquals(raw, e.getRawBody());
  }

  @Test
  void requestTimeoutApplies() throws Exception {
    server.holdAnswers();
    client.setRequestTimeout(Duration.ofMillis(200));

    ApiException e = assertThrows(ApiException.class, () -> new DeliveryPlanApi(client).createDeliveryPlan(planRequest()));

    assertInstanceOf(HttpTimeoutException.class, e.getCause());
    assertEquals(0, e.getCode());
  }

  @Test
  void timeoutsAndHooksAreConfigurable() {
    ApiClient c = new ApiClient().setConnectTimeout(Duration.ofSeconds(3)).setRequestTimeout(Duration.ofSeconds(7));
    assertEquals(Duration.ofSeconds(3), c.getConnectTimeout());
    assertEquals(Duration.ofSeconds(7), c.getRequestTimeout());
    assertEquals(Duration.ofSeconds(3), c.getHttpClient().connectTimeout().orElseThrow());
    assertEquals(SpecSupport.openApi().getServers().get(0).getUrl(), c.getBaseUri());
  }

  private static JsonNode errorExample() {
    return SpecSupport.operations().get("createDeliveryPlan").getResponses().entrySet().stream()
        .filter(r -> !r.getKey().startsWith("2"))
        .flatMap(r -> SpecSupport.examples(r.getKey(), SpecSupport.json(r.getValue().getContent())).stream())
        .findFirst().orElseThrow().value.deepCopy();
  }

  /** Counts every deserialization the API asks for. */
  static final class CountingMapper extends ObjectMapper {
    private static final long serialVersionUID = 1L;
    final AtomicInteger reads = new AtomicInteger();

    CountingMapper(ObjectMapper src) {
      super(src);
    }

    @Override
    public <T> T readValue(byte[] src, TypeReference<T> valueTypeRef) throws IOException {
      reads.incrementAndGet();
      return super.readValue(src, valueTypeRef);
    }

    @Override
    public <T> T readValue(byte[] src, Class<T> valueType) throws IOException {
      reads.incrementAndGet();
      return super.readValue(src, valueType);
    }
  }
}
