package io.github.wechatpaypartner.exception;

import java.nio.charset.StandardCharsets;

/**
 * A non-2xx answer without WeChat Pay's signature headers: it came from something between the
 * client and the service (a load balancer, a proxy: typically an unsigned 502/503/504), not from
 * the service, so its body is not an error of the service and the request may or may not have
 * reached it. Retried when the retry policy lists its status.
 */
public class GatewayException extends WechatPayException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final byte[] rawBody;

  public GatewayException(String operationId, int statusCode, String host, byte[] rawBody) {
    super(operationId + ": HTTP " + statusCode + " from " + host
        + " without WeChat Pay's signature headers (a gateway or proxy answered, not the service)",
        null, operationId);
    this.statusCode = statusCode;
    this.rawBody = rawBody == null ? new byte[0] : rawBody.clone();
  }

  public int statusCode() {
    return statusCode;
  }

  /** The body exactly as received (often an HTML page). */
  public byte[] rawBody() {
    return rawBody.clone();
  }

  public String rawBodyText() {
    return new String(rawBody, StandardCharsets.UTF_8);
  }
}
