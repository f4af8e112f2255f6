package io.github.wechatpaypartner.exception;

import java.util.List;

/**
 * A non-2xx answer without WeChat Pay's signature headers: it came from something between the
 * client and the service (a load balancer, a proxy: typically an unsigned 502/503/504), not from
 * the service, so its body is not an error of the service and the request may or may not have
 * reached it. Retried when the retry policy lists its status. {@link #rawBody()} is an excerpt
 * (often of an HTML page).
 */
public class GatewayException extends ResponseException {
  private static final long serialVersionUID = 1L;

  private final String host;

  public GatewayException(String operationId, List<Attempt> attempts, Answer answer, String host) {
    super(operationId + ": HTTP " + answer.statusCode() + " from " + host
        + " without WeChat Pay's signature headers (a gateway or proxy answered, not the service)",
        null, operationId, attempts, answer);
    this.host = host;
  }

  /** The host (and port) that answered. */
  public String host() {
    return host;
  }
}
