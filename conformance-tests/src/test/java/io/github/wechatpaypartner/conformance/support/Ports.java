package io.github.wechatpaypartner.conformance.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;

/** Whether a stopped server really let go of its port. */
public final class Ports {
  private Ports() {
  }

  /**
   * True when nothing listens on the URI's port: binding it succeeds. (Connecting to check would
   * be fooled by Linux's TCP self-connect when the client picks that very port.)
   */
  public static boolean free(URI uri) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(InetAddress.getByName(uri.getHost()), uri.getPort()));
      return true;
    } catch (IOException inUse) {
      return false;
    }
  }
}
