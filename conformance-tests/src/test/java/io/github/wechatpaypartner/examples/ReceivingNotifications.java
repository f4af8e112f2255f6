package io.github.wechatpaypartner.examples;

// README:notificationImports
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.client.model.DeliveryPlanChange;
import io.github.wechatpaypartner.client.model.ProductCouponSend;
import io.github.wechatpaypartner.client.notification.InMemoryEventStore;
import io.github.wechatpaypartner.client.notification.NotificationHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
// README:end

/**
 * The code of the README's "Receiving notifications": a notification endpoint on the JDK's own
 * HTTP server, compiled and run against the sandbox's notifications by {@code ReadmeExampleTest}
 * (which also checks the README shows it verbatim).
 */
final class ReceivingNotifications {
  private ReceivingNotifications() {
  }

  /**
   * @param client built with {@code .apiV3Key(...)}
   * @param address where to listen, e.g. {@code new InetSocketAddress("127.0.0.1", 9000)}
   */
  static HttpServer listen(WechatPayClient client, InetSocketAddress address) throws IOException {
    // README:receiver
    NotificationHandler handler = client.notificationHandler(new InMemoryEventStore());   // one per client
    HttpServer server = HttpServer.create(address, 0);
    server.createContext("/wechatpay/notify", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();   // the exact bytes: they are signed
      // verifies, decrypts, then runs the action once per event id (a duplicate delivery skips it)
      NotificationHandler.Answer answer = handler.handle(exchange.getRequestHeaders()::getFirst, body, event -> {
        switch (event.eventType()) {
          case "DELIVERY_PLAN.CHANGE":
            DeliveryPlanChange change = event.resourceAs(DeliveryPlanChange.class);
            System.out.println(event.id() + ": plan " + change.getPlanId() + " " + change.getPlanState());
            break;
          case "PRODUCT_COUPON_SP.SEND":
            ProductCouponSend sent = event.resourceAs(ProductCouponSend.class);
            System.out.println(event.id() + ": coupon " + sent.getCouponCode() + " to " + sent.getOpenid());
            break;
          default:
            JsonNode unknown = event.resourceTree();   // an event type this SDK does not know yet
            System.out.println(event.id() + ": " + event.eventType() + " " + unknown);
        }
        // store what you need here: throwing answers 500, and the next delivery runs this again
      });
      byte[] reply = answer.body();   // {"code":"SUCCESS","message":"OK"}, or FAIL with 4xx/5xx
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), reply.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(reply);
      }
    });
    server.start();
    // README:end
    return server;
  }
}
