package io.github.wechatpaypartner.examples;

// README:imports
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.model.AddStockBundleRequest;
import io.github.wechatpaypartner.client.model.AddStockBundleResponse;
import io.github.wechatpaypartner.client.model.BundleCouponCodeMode;
import io.github.wechatpaypartner.client.model.BundleStockSendRule;
import io.github.wechatpaypartner.client.model.CodeDisplayMode;
import io.github.wechatpaypartner.client.model.CouponDisplayInfo;
import io.github.wechatpaypartner.client.model.CouponUsageMethod;
import io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest;
import io.github.wechatpaypartner.client.model.DeliveryPlan;
import io.github.wechatpaypartner.client.model.NormalCouponRule;
import io.github.wechatpaypartner.client.model.NotifyConfig;
import io.github.wechatpaypartner.client.model.ProgressiveBundleAvailablePeriod;
import io.github.wechatpaypartner.client.model.ProgressiveBundleUsageRule;
import io.github.wechatpaypartner.client.model.Stock;
import io.github.wechatpaypartner.client.model.StockBundleDraft;
import io.github.wechatpaypartner.client.model.StoreScope;
import io.github.wechatpaypartner.client.model.UpdateMaxCountBudget;
import io.github.wechatpaypartner.client.model.UpdateStockBudgetRequest;
import io.github.wechatpaypartner.client.model.UsageRuleDisplayInfo;
import io.github.wechatpaypartner.exception.ProbablyProcessedException;
import io.github.wechatpaypartner.exception.ServiceException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.stream.Collectors;
// README:end

/**
 * The code of the README's "Using the client", compiled and run against the sandbox by
 * {@code ReadmeExampleTest} (which also checks the README shows it verbatim): change it here, then
 * copy it there.
 */
final class UsingTheClient {
  private UsingTheClient() {
  }

  /** Production: @param keys the folder of the files the merchant platform issues */
  static WechatPayClient build(Path keys) {
    // README:build
    WechatPayClient client = WechatPayClient.builder()
        .mchid("1900000001")
        .merchantCertificate(keys.resolve("apiclient_cert.pem"))   // serial_no is read from it
        .privateKey(keys.resolve("apiclient_key.pem"))             // PKCS#8 or PKCS#1
        .wechatpayPublicKey("PUB_KEY_ID_0114232134912410000000000000", keys.resolve("pub_key.pem"))
        .build();                               // or .platformCertificate(path): the older mode
    // README:end
    return client;
  }

  /** The sandbox: @param sandboxJson the {@code sandbox.json} it wrote beside its files */
  static WechatPayClient sandbox(Path sandboxJson) throws IOException {
    // README:sandbox
    JsonNode sandbox = new ObjectMapper().readTree(sandboxJson.toFile());
    WechatPayClient client = WechatPayClient.builder()
        .mchid(sandbox.get("mchid").asText())
        .merchantCertificate(Path.of(sandbox.at("/files/merchant_certificate").asText()))
        .privateKey(Path.of(sandbox.at("/files/merchant_private_key").asText()))
        .wechatpayPublicKey(sandbox.get("wechatpay_public_key_id").asText(),
            Path.of(sandbox.at("/files/wechatpay_public_key").asText()))
        .apiV3Key(sandbox.get("apiv3_key").asText())        // to read its notifications
        .hosts(URI.create(sandbox.get("url").asText()))     // instead of api.mch.weixin.qq.com
        .build();
    // README:end
    return client;
  }

  static void calls(WechatPayClient client) {
    // README:calls
    // 添加商品券批次组 (add a stock bundle to a PROGRESSIVE_BUNDLE product coupon)
    StockBundleDraft draft = new StockBundleDraft()
        .remark("满减券")
        .couponCodeMode(BundleCouponCodeMode.WECHATPAY)
        .stockSendRule(new BundleStockSendRule().maxCount(10_000_000L).maxCountPerUser(1L))
        .progressiveBundleUsageRule(new ProgressiveBundleUsageRule()
            .couponAvailablePeriod(new ProgressiveBundleAvailablePeriod()
                .availableBeginTime("2025-01-01T00:00:00+08:00")   // the pages' format, seconds included
                .availableEndTime("2025-10-01T00:00:00+08:00"))
            .addNormalCouponListItem(new NormalCouponRule().threshold(10_000L).discountAmount(100L)))
        .usageRuleDisplayInfo(new UsageRuleDisplayInfo()
            .addCouponUsageMethodListItem(CouponUsageMethod.OFFLINE)
            .usageDescription("全场可用"))
        .couponDisplayInfo(new CouponDisplayInfo().codeDisplayMode(CodeDisplayMode.QRCODE))
        .notifyConfig(new NotifyConfig().notifyAppid("wx4fd12345678"))
        .storeScope(StoreScope.NONE);
    try {
      AddStockBundleResponse bundle = client.productCouponApi().addStockBundle("200000001",
          new AddStockBundleRequest().outRequestNo("bundle-20250101-0001").brandId("120344")
              .stockBundle(draft));
      System.out.println("stock bundle " + bundle.getStockBundleId() + ", stocks "
          + bundle.getStockList().stream().map(s -> s.getStockId()).collect(Collectors.toList()));

      // 创建投放计划 (create a delivery plan for the bundle's first stock)
      DeliveryPlan plan = client.deliveryPlanApi().createDeliveryPlan(new CreateDeliveryPlanRequest()
              .outRequestNo("plan-20250101-0001").brandId("120344")
              .productCouponId("200000001").stockId(bundle.getStockList().get(0).getStockId())
              .planName("冬季饮料投放").userLimit(1L))
          .getPlan();
      System.out.println("delivery plan " + plan.getPlanId() + " " + plan.getPlanState());

      // 修改商品券批次发放预算 (one type per update_mode: a mixed body cannot be written)
      Stock stock = client.productCouponApi().updateStockBudget("1000000013", "1000000013001",
          new UpdateStockBudgetRequest(new UpdateMaxCountBudget()
              .outRequestNo("budget-20250101-0001").brandId("120344")
              .currentMaxCount(10_000_000L).targetMaxCount(20_000_000L)));
      System.out.println("stock " + stock.getStockId() + " max_count " + stock.getStockSendRule().getMaxCount());
    } catch (ProbablyProcessedException e) {
      // a retry met ALREADY_EXISTS after an attempt that got no answer: that attempt most
      // probably succeeded; look the resource up rather than resend with a new out_request_no
      System.out.println("probably done by an unanswered attempt, look it up: " + e.getMessage());
    } catch (ServiceException e) {          // WeChat Pay refused: a signed, verified error
      if ("ALREADY_EXISTS".equals(e.errorCode())) {   // e.g. a rerun: this out_request_no was used
        System.out.println("already done before: " + e.errorMessage() + " (Request-ID " + e.requestId() + ")");
      } else {
        System.out.println("refused: " + e.errorCode() + " " + e.errorMessage() + " " + e.detail()
            + " (Request-ID " + e.requestId() + ")");
      }
    }   // anything else (TransportException...) propagates; e.attempts() lists every attempt
    // README:end
  }
}
