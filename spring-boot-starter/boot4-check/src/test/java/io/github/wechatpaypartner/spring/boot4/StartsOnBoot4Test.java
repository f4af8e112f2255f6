package io.github.wechatpaypartner.spring.boot4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import io.github.wechatpaypartner.spring.boot.WechatPayClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter, built for Boot 3.5, in an application on Spring Boot 4.0 (Spring Framework 7,
 * Tomcat 11): it starts, makes the client bean from properties and maps the notification endpoint,
 * which refuses an unsigned POST as the pages say.
 */
class StartsOnBoot4Test {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
  }

  @Test
  void startsWithAClientAndANotificationEndpoint(@TempDir Path keys) throws Exception {
    GeneratedCredentials merchant = GeneratedCredentials.generate("1900000001");
    merchant.writeClientFiles(keys);
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).properties(
        "server.address=127.0.0.1", "server.port=0", "spring.main.banner-mode=off", "spring.main.log-startup-info=false",
        "logging.level.root=warn", "logging.level.io.github.wechatpaypartner=error", // the refusal below is on purpose
        "wechatpay.mchid=" + merchant.mchid(),
        "wechatpay.private-key-file=" + keys.resolve("apiclient_key.pem"),
        "wechatpay.merchant-certificate-file=" + keys.resolve("apiclient_cert.pem"),
        "wechatpay.public-key-id=" + merchant.wechatpayPublicKeyId(),
        "wechatpay.public-key-file=" + keys.resolve("pub_key.pem"),
        "wechatpay.api-v3-key=" + merchant.apiV3Key()).run()) {
      assertTrue(SpringBootVersion.getVersion().startsWith("4.0."), SpringBootVersion.getVersion());
      WechatPayClient client = context.getBean(WechatPayClient.class);
      assertEquals(client, context.getBean(WechatPayClients.class).get("default"));
      assertTrue(client.toString().contains("mchid=1900000001"), client::toString);

      String port = context.getEnvironment().getProperty("local.server.port");
      HttpResponse<String> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/wechatpay/notify"))
              .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(401, answer.statusCode(), answer::body);
      assertTrue(answer.body().contains("\"code\":\"FAIL\""), answer::body);
    }
  }
}
