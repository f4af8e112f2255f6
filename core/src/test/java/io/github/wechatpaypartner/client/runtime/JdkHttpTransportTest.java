package io.github.wechatpaypartner.client.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** The default transport sets TLS up only for a client with an https host. */
class JdkHttpTransportTest {

  @Test
  void aClientWithAnHttpsHostGetsTheDefaultTlsContext() throws Exception {
    JdkHttpTransport transport = JdkHttpTransport.forHosts(
        List.of(URI.create("http://127.0.0.1:8080"), URI.create("https://api2.mch.weixin.qq.com")), null);
    assertSame(SSLContext.getDefault(), transport.httpClient().sslContext());
  }

  @Test
  void aClientOfHttpHostsOnlySetsUpNoTlsAndRefusesAnyUseOfIt() {
    JdkHttpTransport transport = JdkHttpTransport.forHosts(List.of(URI.create("http://127.0.0.1:8080")), null);
    SSLContext none = transport.httpClient().sslContext();
    assertInstanceOf(JdkHttpTransport.NoTls.class, none);
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> none.createSSLEngine("api.mch.weixin.qq.com", 443));
    assertEquals("TLS is off: every host of this client is http", e.getMessage());
    assertThrows(UnsupportedOperationException.class, none::getDefaultSSLParameters);
  }
}
