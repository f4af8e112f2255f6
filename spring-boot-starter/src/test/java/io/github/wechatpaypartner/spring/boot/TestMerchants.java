package io.github.wechatpaypartner.spring.boot;

import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import java.util.concurrent.CompletableFuture;

/**
 * Two merchants' generated credentials (1900000001, 1900000002), made once per test JVM, two at a
 * time: RSA key generation is most of what these tests would otherwise spend.
 */
final class TestMerchants {
  private static final CompletableFuture<GeneratedCredentials> FIRST =
      CompletableFuture.supplyAsync(() -> GeneratedCredentials.generate("1900000001"));
  private static final CompletableFuture<GeneratedCredentials> SECOND =
      CompletableFuture.supplyAsync(() -> GeneratedCredentials.generate("1900000002"));

  private TestMerchants() {
  }

  static GeneratedCredentials first() {
    return FIRST.join();
  }

  static GeneratedCredentials second() {
    return SECOND.join();
  }
}
