package io.github.wechatpaypartner.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's data, in memory: product coupons, their stocks, stock bundles and delivery plans,
 * and what the three operations do to them, as the pages document it; further operations bring
 * their own {@link OperationState}, the rest are answered from the spec's examples. Answers are built from what
 * was sent, shaped by the answer schemas; errors are the spec's named examples. Thread-safe (one
 * lock: the sandbox serves a few requests at a time).
 */
public final class MarketingState {
  private static final System.Logger LOG = System.getLogger(MarketingState.class.getName());
  static final String CREATE_DELIVERY_PLAN = "createDeliveryPlan";
  static final String ADD_STOCK_BUNDLE = "addStockBundle";
  static final String UPDATE_STOCK_BUDGET = "updateStockBudget";
  // Values of the spec's enums that the documented rules name; checked against the spec at start.
  static final String SINGLE = "SINGLE";
  static final String PROGRESSIVE_BUNDLE = "PROGRESSIVE_BUNDLE";
  static final String UPLOAD = "UPLOAD";
  /** StockState of a stock whose end time has passed (已停止): the page's "expired". */
  public static final String EXPIRED_STATE = "STOPPED";
  static final String DEACTIVATED_STATE = "DEACTIVATED";
  static final String CURRENT_PREFIX = "current_";
  static final String TARGET_PREFIX = "target_";
  static final String DELIVERY_PLAN_CHANGE = "DELIVERY_PLAN.CHANGE";
  static final String COUPON_SEND = "PRODUCT_COUPON_SP.SEND";
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
  private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

  /** What a repeated {@code out_request_no} does on createDeliveryPlan and updateStockBudget (the pages are silent). */
  public enum RepeatedRequestNo {
    /** The same request again gets the first answer again (nothing changes); a different request with it is 400 PARAM_ERROR. */
    REPLAY,
    /** Every call is processed as new. */
    PROCESS_AGAIN
  }

  /** Receives the notifications a state change produces. */
  interface Events {
    void happened(String eventType, ObjectNode resource);
  }

  private final ServiceSpec spec;
  private final RepeatedRequestNo repeated;
  private final boolean couponReceiptOnNewBundle;
  private final Events events;
  private final ObjectNode seed;
  private final Map<String, ObjectNode> coupons = new LinkedHashMap<>();
  private final Map<String, ObjectNode> stocks = new LinkedHashMap<>();
  private final Map<String, ObjectNode> bundles = new LinkedHashMap<>();
  private final Map<String, ObjectNode> plans = new LinkedHashMap<>();
  private final Map<String, Processed> requestNumbers = new LinkedHashMap<>();
  private final AtomicLong sequence = new AtomicLong(ThreadLocalRandom.current().nextLong(1_000, 9_000));
  private final Map<String, OperationState> modelled = new LinkedHashMap<>();

  MarketingState(ServiceSpec spec, ObjectNode seed, RepeatedRequestNo repeated, boolean couponReceiptOnNewBundle,
      Events events) {
    this.spec = spec;
    this.repeated = repeated;
    this.couponReceiptOnNewBundle = couponReceiptOnNewBundle;
    this.events = events;
    this.seed = seed.deepCopy();
    Set<String> inSpec = new LinkedHashSet<>();
    spec.operations().forEach(op -> inSpec.add(op.id));
    for (String page : List.of(CREATE_DELIVERY_PLAN, ADD_STOCK_BUNDLE, UPDATE_STOCK_BUDGET)) {
      if (inSpec.contains(page)) {
        modelled.put(page, new PageRules(page));
      }
    }
    if (!modelled.isEmpty()) {
      requireEnumValues("UsageMode", SINGLE, PROGRESSIVE_BUNDLE);
      requireEnumValues("StockState", EXPIRED_STATE, DEACTIVATED_STATE);
      requireEnumValues("BundleCouponCodeMode", UPLOAD);
    }
    // The notifications these rules send: checked now rather than at the first one.
    if (modelled.containsKey(CREATE_DELIVERY_PLAN)) {
      spec.webhook(DELIVERY_PLAN_CHANGE).retrySchedule();
    }
    if (modelled.containsKey(ADD_STOCK_BUNDLE)) {
      spec.webhook(COUPON_SEND).retrySchedule();
    }
    // States of further operations, from the classpath; one the spec does not have is left out.
    for (OperationState extra : ServiceLoader.load(OperationState.class, MarketingState.class.getClassLoader())) {
      if (inSpec.contains(extra.operationId())) {
        modelled.put(extra.operationId(), extra);
      } else {
        LOG.log(System.Logger.Level.DEBUG, "{0} models {1}, which the spec {2} does not have; not used",
            extra.getClass().getName(), extra.operationId(), spec.source());
      }
    }
    reset();
  }

  private void requireEnumValues(String schema, String... values) {
    // A closed set lists its values in `enum`, an open one (assigned by the service) in `x-extensible-enum`.
    JsonNode node = spec.node("/components/schemas/" + schema);
    JsonNode allowed = node.has("enum") ? node.path("enum") : node.path("x-extensible-enum");
    for (String value : values) {
      boolean found = false;
      for (JsonNode a : allowed) {
        found |= a.asText().equals(value);
      }
      if (!found) {
        throw new IllegalStateException("The sandbox's rules name " + schema + " " + value
            + ", which the spec " + spec.source() + " no longer lists: update MarketingState");
      }
    }
  }

  /** Back to the seed: every plan, bundle and request number made since is forgotten. */
  public synchronized void reset() {
    coupons.clear();
    stocks.clear();
    bundles.clear();
    plans.clear();
    requestNumbers.clear();
    modelled.values().forEach(OperationState::reset);
    seed.path(SeedData.COUPONS).forEach(c -> putProductCoupon(c.path("product_coupon_id").asText(),
        c.path("usage_mode").asText(), c.path("brand_id").asText()));
    seed.path(SeedData.STOCKS).forEach(this::putStock);
    seed.path(SeedData.BUNDLES).forEach(b -> bundles.put(b.path("stock_bundle_id").asText(), b.deepCopy()));
  }

  /** The seed this state starts from (and {@link #reset()} returns to). */
  public ObjectNode seed() {
    return seed.deepCopy();
  }

  // ------------------------------------------------------------------ what tests and users read and set

  public synchronized List<JsonNode> productCoupons() {
    return copies(coupons);
  }

  public synchronized List<JsonNode> stocks() {
    return copies(stocks);
  }

  public synchronized List<JsonNode> stockBundles() {
    return copies(bundles);
  }

  public synchronized List<JsonNode> deliveryPlans() {
    return copies(plans);
  }

  public synchronized Optional<JsonNode> stock(String productCouponId, String stockId) {
    return Optional.ofNullable(stocks.get(key(productCouponId, stockId))).map(JsonNode::deepCopy);
  }

  public synchronized Optional<JsonNode> deliveryPlan(String planId) {
    return Optional.ofNullable(plans.get(planId)).map(JsonNode::deepCopy);
  }

  /** Adds or replaces a product coupon ({@code usage_mode} SINGLE or PROGRESSIVE_BUNDLE) of {@code brandId}. */
  public synchronized void putProductCoupon(String productCouponId, String usageMode, String brandId) {
    coupons.put(productCouponId, JsonNodeFactory.instance.objectNode().put("product_coupon_id", productCouponId)
        .put("usage_mode", usageMode).put("brand_id", brandId));
  }

  /** Adds or replaces a stock (the spec's Stock or BundleStock shape, with product_coupon_id and stock_id). */
  public synchronized void putStock(JsonNode stock) {
    String couponId = stock.path("product_coupon_id").asText();
    if (!coupons.containsKey(couponId)) {
      throw new IllegalArgumentException("stock " + stock.path("stock_id").asText() + " names product coupon "
          + couponId + ", which does not exist");
    }
    stocks.put(key(couponId, stock.path("stock_id").asText()), (ObjectNode) stock.deepCopy());
  }

  /** Sets a stock's {@code state}, e.g. {@link #EXPIRED_STATE} to see a budget update refused. */
  public synchronized void setStockState(String productCouponId, String stockId, String state) {
    requireStock(productCouponId, stockId).put("state", state);
  }

  /**
   * A user receives a coupon of the stock: its issued counts go up and PRODUCT_COUPON_SP.SEND is
   * sent. Returns the notification's decrypted resource.
   */
  public ObjectNode receiveCoupon(String productCouponId, String stockId) {
    ObjectNode resource;
    synchronized (this) {
      ObjectNode stock = requireStock(productCouponId, stockId);
      ObjectNode sent = stock.withObjectProperty("sent_count_info");
      long total = sent.path("total_count").asLong() + 1;
      long max = stock.path("stock_send_rule").path("max_count").asLong(Long.MAX_VALUE);
      if (total > max) {
        throw new IllegalStateException("stock " + stockId + " has issued its max_count " + max);
      }
      sent.put("total_count", total).put("today_count", sent.path("today_count").asLong() + 1);
      resource = couponReceipt(stock);
    }
    events.happened(COUPON_SEND, resource);
    return resource;
  }

  private ObjectNode requireStock(String productCouponId, String stockId) {
    ObjectNode stock = stocks.get(key(productCouponId, stockId));
    if (stock == null) {
      throw new IllegalArgumentException("no stock " + stockId + " in product coupon " + productCouponId);
    }
    return stock;
  }

  // ------------------------------------------------------------------ the three operations

  /** The operations this state models, by operationId: the three of the pages and any {@link OperationState} found. */
  /**
   * Models one more operation with a state the sandbox itself provides (one that needs the
   * sandbox's own parts, such as its keys); ignored when the spec does not have the operation.
   */
  synchronized void model(OperationState state) {
    if (spec.operations().stream().anyMatch(op -> op.id.equals(state.operationId()))) {
      modelled.put(state.operationId(), state);
    }
  }

  public synchronized Set<String> modelledOperations() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(modelled.keySet()));
  }

  boolean models(String operationId) {
    return modelled.containsKey(operationId);
  }

  /** Runs a modelled operation; the 2xx answer (null without body), or a {@link ServiceError}. */
  JsonNode call(ServiceSpec.Operation operation, Map<String, String> path, Map<String, String> query, ObjectNode body) {
    OperationCall call = new OperationCall(spec, operation, path, query, body, events);
    JsonNode answer;
    synchronized (this) {
      answer = modelled.get(operation.id).answer(call);
    }
    for (Runnable event : call.afterwards()) {
      try {
        event.run();
      } catch (RuntimeException e) {
        // The call succeeded; a notification that cannot be made must not turn it into an error.
        LOG.log(System.Logger.Level.ERROR, "a notification after " + operation.id + " failed", e);
      }
    }
    return answer == null ? null : answer.deepCopy();
  }

  /** The rules of the three operations of the pages, on the shared coupons, stocks, bundles and plans. */
  private ObjectNode pages(OperationCall call) {
    ServiceSpec.Operation operation = call.operation();
    Map<String, String> path = call.path();
    ObjectNode body = call.body();
    List<Runnable> after = call.afterwards();
    String requestKey = operation.id + "|" + body.path("brand_id").asText() + "|" + body.path("out_request_no").asText();
    Processed earlier = requestNumbers.get(requestKey);
    if (earlier != null && !operation.id.equals(ADD_STOCK_BUNDLE) && repeated == RepeatedRequestNo.REPLAY) {
      if (earlier.path.equals(path) && earlier.body.equals(body)) {
        return earlier.answer.deepCopy();
      }
      throw error(operation, "PARAM_ERROR", ServiceError.detail("/out_request_no", body.get("out_request_no"),
          "out_request_no was already used for a different request of this brand", "body"));
    }
    ObjectNode answer;
    switch (operation.id) {
      case CREATE_DELIVERY_PLAN:
        answer = createDeliveryPlan(operation, body, after);
        break;
      case ADD_STOCK_BUNDLE:
        if (earlier != null) {
          throw error(operation, "ALREADY_EXISTS", ServiceError.detail("/out_request_no", body.get("out_request_no"),
              "a stock bundle was already created with this out_request_no", "body"));
        }
        answer = addStockBundle(operation, path.get("product_coupon_id"), body, after);
        break;
      default:
        answer = updateStockBudget(operation, path.get("product_coupon_id"), path.get("stock_id"), body);
        break;
    }
    requestNumbers.put(requestKey, new Processed(path, body, answer));
    return answer;
  }

  /** One of the three, as an {@link OperationState}. */
  private final class PageRules implements OperationState {
    private final String operationId;

    PageRules(String operationId) {
      this.operationId = operationId;
    }

    @Override
    public String operationId() {
      return operationId;
    }

    @Override
    public JsonNode answer(OperationCall call) {
      return pages(call);
    }
  }

  private ObjectNode createDeliveryPlan(ServiceSpec.Operation op, ObjectNode body, List<Runnable> after) {
    String brand = body.path("brand_id").asText();
    ObjectNode coupon = coupons.get(body.path("product_coupon_id").asText());
    if (coupon == null || !coupon.path("brand_id").asText().equals(brand)) {
      throw error(op, "PARAM_ERROR", ServiceError.detail("/product_coupon_id", body.get("product_coupon_id"),
          "no product coupon with this id for brand " + brand, "body"));
    }
    String couponId = coupon.path("product_coupon_id").asText();
    ObjectNode stock = stocks.get(key(couponId, body.path("stock_id").asText()));
    if (stock == null) {
      throw error(op, "PARAM_ERROR", ServiceError.detail("/stock_id", body.get("stock_id"),
          "no stock with this id in product coupon " + couponId, "body"));
    }
    String bundleId = body.path("stock_bundle_id").asText("");
    ObjectNode bundle = bundles.get(bundleId);
    if (!bundleId.isEmpty() && (bundle == null || !couponId.equals(bundle.path("product_coupon_id").asText()))) {
      throw error(op, "PARAM_ERROR", ServiceError.detail("/stock_bundle_id", body.get("stock_bundle_id"),
          "no stock bundle with this id in product coupon " + couponId, "body"));
    }
    String planPointer = spec.deref(op.successSchemaPointer() + "/properties/plan");
    ObjectNode plan = conform(body, planPointer);
    plan.put("plan_id", Long.toString(sequence.incrementAndGet() * 1000 + ThreadLocalRandom.current().nextInt(1000)));
    plan.set("plan_state", op.successExample().path("plan").path("plan_state"));
    JsonNode period = usageRule(stock).path("coupon_available_period");
    if (!plan.has("plan_name")) {
      plan.put("plan_name", "");
    }
    if (!plan.has("delivery_start_time") && period.has("available_begin_time")) {
      plan.set("delivery_start_time", period.get("available_begin_time"));
    }
    if (!plan.has("delivery_end_time") && period.has("available_end_time")) {
      plan.set("delivery_end_time", period.get("available_end_time"));
    }
    plans.put(plan.path("plan_id").asText(), plan);
    ObjectNode change = spec.webhook(DELIVERY_PLAN_CHANGE).resourceExample().deepCopy();
    change.put("plan_id", plan.path("plan_id").asText());
    change.put("modify_time", now());
    after.add(() -> events.happened(DELIVERY_PLAN_CHANGE, change));
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    answer.set("plan", plan);
    return answer;
  }

  private ObjectNode addStockBundle(ServiceSpec.Operation op, String couponId, ObjectNode body, List<Runnable> after) {
    String brand = body.path("brand_id").asText();
    ObjectNode coupon = coupons.get(couponId);
    if (coupon == null || !coupon.path("brand_id").asText().equals(brand)) {
      throw error(op, "NOT_FOUND", ServiceError.detail("product_coupon_id", TextNode.valueOf(couponId),
          "no product coupon with this id for brand " + brand, "path"));
    }
    if (!PROGRESSIVE_BUNDLE.equals(coupon.path("usage_mode").asText())) {
      throw error(op, "INVALID_REQUEST_BUSINESS_RULE", ServiceError.detail("product_coupon_id", TextNode.valueOf(couponId),
          "the product coupon's usage_mode is " + coupon.path("usage_mode").asText() + ", not " + PROGRESSIVE_BUNDLE,
          "path"));
    }
    String stockPointer = spec.deref(op.successSchemaPointer() + "/properties/stock_list/items");
    String rulePointer = spec.deref(stockPointer + "/properties/progressive_bundle_usage_rule");
    JsonNode draft = body.path("stock_bundle");
    JsonNode draftRule = draft.path("progressive_bundle_usage_rule");
    int count = 1;
    for (Iterator<Map.Entry<String, JsonNode>> it = draftRule.fields(); it.hasNext(); ) {
      JsonNode value = it.next().getValue();
      count = value.isArray() ? Math.max(count, value.size()) : count;
    }
    String bundleId = Long.toString(100_000_000L + sequence.incrementAndGet() * 1000
        + ThreadLocalRandom.current().nextInt(1000));
    JsonNode initialState = op.successExample().path("stock_list").path(0).path("state");
    ArrayNode list = JsonNodeFactory.instance.arrayNode();
    ArrayNode ids = JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < count; i++) {
      ObjectNode stock = conform(draft, stockPointer);
      ObjectNode rule = conform(draftRule, rulePointer);
      // The draft's *_list arrays hold one rule per stock, in order: stock i gets element i as X.
      for (Iterator<Map.Entry<String, JsonNode>> it = draftRule.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String single = field.getKey().replaceFirst("_list$", "");
        if (field.getValue().isArray() && !single.equals(field.getKey()) && field.getValue().has(i)
            && spec.propertyNames(rulePointer).contains(single)) {
          rule.set(single, field.getValue().get(i));
        }
      }
      stock.set("progressive_bundle_usage_rule", rule);
      stock.put("product_coupon_id", couponId);
      stock.put("stock_id", newStockId(couponId));
      stock.put("brand_id", brand);
      stock.putObject("stock_bundle_info").put("stock_bundle_id", bundleId).put("stock_bundle_index", i);
      if (UPLOAD.equals(stock.path("coupon_code_mode").asText())) {
        stock.putObject("coupon_code_count_info").put("total_count", 0).put("available_count", 0);
      }
      stock.putObject("sent_count_info").put("total_count", 0).put("today_count", 0);
      stock.set("state", initialState);
      stocks.put(key(couponId, stock.path("stock_id").asText()), stock);
      list.add(stock);
      ids.add(stock.path("stock_id").asText());
    }
    ObjectNode bundle = JsonNodeFactory.instance.objectNode().put("stock_bundle_id", bundleId)
        .put("product_coupon_id", couponId).put("brand_id", brand)
        .put("out_request_no", body.path("out_request_no").asText());
    bundle.set("stock_ids", ids);
    bundles.put(bundleId, bundle);
    if (couponReceiptOnNewBundle) {
      String firstStock = ids.get(0).asText();
      after.add(() -> receiveCoupon(couponId, firstStock));
    }
    ObjectNode answer = JsonNodeFactory.instance.objectNode().put("stock_bundle_id", bundleId);
    answer.set("stock_list", list.deepCopy());
    return answer;
  }

  private ObjectNode updateStockBudget(ServiceSpec.Operation op, String couponId, String stockId, ObjectNode body) {
    String brand = body.path("brand_id").asText();
    ObjectNode coupon = coupons.get(couponId);
    if (coupon == null || !coupon.path("brand_id").asText().equals(brand)) {
      throw error(op, "NOT_FOUND", ServiceError.detail("product_coupon_id", TextNode.valueOf(couponId),
          "no product coupon with this id for brand " + brand, "path"));
    }
    ObjectNode stock = stocks.get(key(couponId, stockId));
    if (stock == null) {
      throw error(op, "NOT_FOUND_STOCK", ServiceError.detail("stock_id", TextNode.valueOf(stockId),
          "no stock with this id in product coupon " + couponId, "path"));
    }
    if (PROGRESSIVE_BUNDLE.equals(coupon.path("usage_mode").asText())) {
      throw error(op, "INVALID_REQUEST_BUSINESS_RULE", ServiceError.detail("product_coupon_id", TextNode.valueOf(couponId),
          "the stocks of a " + PROGRESSIVE_BUNDLE + " coupon live in a stock bundle: change the bundle's budget", "path"));
    }
    String state = stock.path("state").asText();
    if (EXPIRED_STATE.equals(state)) {
      throw error(op, "INVALID_REQUEST_EXPIRED_STOCK", ServiceError.detail("stock_id", TextNode.valueOf(stockId),
          "the stock's state is " + state, "path"));
    }
    if (DEACTIVATED_STATE.equals(state)) {
      throw error(op, "INVALID_REQUEST_BUSINESS_RULE", ServiceError.detail("stock_id", TextNode.valueOf(stockId),
          "the stock's state is " + state, "path"));
    }
    ObjectNode rule = stock.withObjectProperty("stock_send_rule");
    Map<String, JsonNode> targets = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getKey().startsWith(CURRENT_PREFIX)) {
        continue;
      }
      String dimension = field.getKey().substring(CURRENT_PREFIX.length());
      JsonNode current = rule.get(dimension);
      if (current == null || current.asLong() != field.getValue().asLong()) {
        throw error(op, "INVALID_REQUEST_BUSINESS_RULE", ServiceError.detail("/" + field.getKey(), field.getValue(),
            "the stock's current " + dimension + " is " + (current == null ? "not set" : current.asText()), "body"));
      }
      targets.put(dimension, body.get(TARGET_PREFIX + dimension));
    }
    long issued = stock.path("sent_count_info").path("total_count").asLong();
    JsonNode maxCount = targets.get("max_count");
    if (maxCount != null && maxCount.asLong() < issued) {
      throw error(op, "INVALID_REQUEST_BUSINESS_RULE", ServiceError.detail("/target_max_count", maxCount,
          "lower than the " + issued + " coupons already issued", "body"));
    }
    targets.forEach(rule::set);
    return stock.deepCopy();
  }

  // ------------------------------------------------------------------ helpers

  /**
   * A copy of {@code value} with only the fields the object schema at {@code pointer} declares, at
   * every depth: a request object becomes the answer object of the same name.
   */
  private ObjectNode conform(JsonNode value, String pointer) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    List<String> names = spec.propertyNames(pointer);
    value.fields().forEachRemaining(f -> {
      if (names.contains(f.getKey())) {
        out.set(f.getKey(), conformValue(f.getValue(), spec.deref(pointer + "/properties/" + ServiceSpec.escape(f.getKey()))));
      }
    });
    return out;
  }

  private JsonNode conformValue(JsonNode value, String pointer) {
    JsonNode schema = spec.node(pointer);
    if (value.isObject() && schema.has("properties")) {
      return conform(value, pointer);
    }
    if (value.isArray() && schema.has("items")) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      value.forEach(item -> out.add(conformValue(item, spec.deref(pointer + "/items"))));
      return out;
    }
    return value.deepCopy();
  }

  private static JsonNode usageRule(JsonNode stock) {
    for (String rule : List.of("single_usage_rule", "progressive_bundle_usage_rule", "sequential_usage_rule")) {
      if (stock.has(rule)) {
        return stock.get(rule);
      }
    }
    return JsonNodeFactory.instance.objectNode();
  }

  private ObjectNode couponReceipt(ObjectNode stock) {
    ObjectNode resource = spec.webhook(COUPON_SEND).resourceExample().deepCopy();
    long n = sequence.incrementAndGet();
    String day = OffsetDateTime.now(CHINA).format(DateTimeFormatter.ofPattern("yyyyMMdd"));
    resource.put("brand_id", stock.path("brand_id").asText());
    resource.put("product_coupon_id", stock.path("product_coupon_id").asText());
    resource.put("stock_id", stock.path("stock_id").asText());
    resource.put("coupon_code", "SANDBOX_" + day + "_" + n);
    resource.put("receive_time", now());
    resource.put("send_request_no", "sandbox_send_" + day + "_" + n);
    JsonNode bundle = stock.path("stock_bundle_info");
    if (bundle.has("stock_bundle_id")) {
      resource.put("stock_bundle_id", bundle.path("stock_bundle_id").asText());
      resource.put("user_coupon_bundle_id", "SANDBOX_UCB_" + day + "_" + n);
    } else {
      resource.remove(List.of("stock_bundle_id", "user_coupon_bundle_id"));
    }
    String appid = stock.path("notify_config").path("notify_appid").asText("");
    if (!appid.isEmpty()) {
      resource.put("appid", appid);
    }
    // The user's coupon is valid over the stock's redeemable period.
    JsonNode period = usageRule(stock).path("coupon_available_period");
    if (period.has("available_begin_time") && period.has("available_end_time")) {
      resource.set("valid_begin_time", period.get("available_begin_time"));
      resource.set("valid_end_time", period.get("available_end_time"));
    }
    return resource;
  }

  private String newStockId(String couponId) {
    for (int i = 1; ; i++) {
      String id = couponId + String.format("%03d", i);
      if (!stocks.containsKey(key(couponId, id))) {
        return id;
      }
    }
  }

  private ServiceError error(ServiceSpec.Operation op, String example, JsonNode detail) {
    return new ServiceError(spec.errorExample(op, example), detail);
  }

  static String now() {
    return OffsetDateTime.now(CHINA).truncatedTo(ChronoUnit.SECONDS).format(RFC3339);
  }

  private static String key(String couponId, String stockId) {
    return couponId + "/" + stockId;
  }

  private static List<JsonNode> copies(Map<String, ObjectNode> values) {
    List<JsonNode> out = new ArrayList<>();
    values.values().forEach(v -> out.add(v.deepCopy()));
    return out;
  }

  /** A processed request and its answer, kept by out_request_no. */
  private static final class Processed {
    final Map<String, String> path;
    final JsonNode body;
    final ObjectNode answer;

    Processed(Map<String, String> path, JsonNode body, ObjectNode answer) {
      this.path = Objects.requireNonNull(path);
      this.body = body.deepCopy();
      this.answer = answer.deepCopy();
    }
  }
}
