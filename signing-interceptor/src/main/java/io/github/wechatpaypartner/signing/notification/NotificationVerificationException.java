package io.github.wechatpaypartner.signing.notification;

import io.github.wechatpaypartner.signing.verify.VerificationCheck;
import io.github.wechatpaypartner.signing.verify.VerificationFailure;

/** The callback's signature headers failed a check: it may not come from WeChat Pay. */
public class NotificationVerificationException extends NotificationException {
  private static final long serialVersionUID = 1L;
  private final VerificationCheck check;
  private final String requestId;

  NotificationVerificationException(VerificationFailure failure, String requestId) {
    super("WeChat Pay callback" + (requestId == null ? "" : " (Request-ID " + requestId + ")")
        + " failed verification [" + failure.check() + "]: " + failure.detail());
    this.check = failure.check();
    this.requestId = requestId;
  }

  public VerificationCheck check() {
    return check;
  }

  /** The callback's Request-ID header, or {@code null} when it had none. */
  public String requestId() {
    return requestId;
  }
}
