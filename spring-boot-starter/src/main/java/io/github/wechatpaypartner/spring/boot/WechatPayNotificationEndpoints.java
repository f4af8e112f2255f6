package io.github.wechatpaypartner.spring.boot;

import io.github.wechatpaypartner.client.notification.NotificationHandler;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * In a servlet web application with Spring MVC: a POST route per merchant's notify path that hands
 * the headers and the raw body to {@link WechatPayNotifications} and answers with its status and
 * JSON body (the pages' 应答规范).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.function.RouterFunction")
class WechatPayNotificationEndpoints {

  @Bean
  RouterFunction<ServerResponse> wechatPayNotificationRoutes(WechatPayNotifications notifications) {
    if (notifications.paths().isEmpty()) {
      return request -> Optional.empty();
    }
    RouterFunctions.Builder routes = RouterFunctions.route();
    notifications.paths().forEach((merchant, path) -> routes.POST(path, request -> answer(
        notifications.handle(merchant, name -> request.headers().firstHeader(name), body(request)))));
    return routes.build();
  }

  private static byte[] body(ServerRequest request) throws java.io.IOException {
    return request.servletRequest().getInputStream().readAllBytes();
  }

  private static ServerResponse answer(NotificationHandler.Answer answer) {
    return ServerResponse.status(answer.status()).contentType(MediaType.APPLICATION_JSON).body(answer.body());
  }
}
