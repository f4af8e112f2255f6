package io.github.wechatpaypartner.spring.boot;

import io.github.wechatpaypartner.WechatPayClient;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The clients of the configured merchants by name: {@code default} for one merchant configured
 * directly under {@code wechatpay}, else the keys of {@code wechatpay.merchants}. Each client is
 * also a bean of its own ({@code @Qualifier("brand-a") WechatPayClient}).
 */
public final class WechatPayClients {
  private final Map<String, WechatPayClient> clients;

  WechatPayClients(Map<String, WechatPayClient> clients) {
    this.clients = Collections.unmodifiableMap(new LinkedHashMap<>(clients));
  }

  /**
   * @throws NoSuchElementException naming the configured merchants when none is called {@code name}
   */
  public WechatPayClient get(String name) {
    WechatPayClient client = clients.get(name);
    if (client == null) {
      throw new NoSuchElementException("No WeChat Pay merchant named '" + name + "'; configured: " + clients.keySet());
    }
    return client;
  }

  public Set<String> names() {
    return clients.keySet();
  }

  /** Name to client, in the order configured. */
  public Map<String, WechatPayClient> asMap() {
    return clients;
  }

  @Override
  public String toString() {
    return "WechatPayClients" + clients;
  }
}
