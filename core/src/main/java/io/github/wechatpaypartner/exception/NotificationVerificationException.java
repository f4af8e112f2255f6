package io.github.wechatpaypartner.exception;


/** The callback's signature headers failed a check: it may not come from WeChat Pay. */
public class NotificationVerificationException extends NotificationException {
  private static final long serialVersionUID = 1L;
  private final VerificationCheck check;
  private final String requestId;

  public NotificationVerificationException(VerificationCheck check, String detail, String requestId) {
    super("WeChat Pay callback" + (requestId == null ? "" : " (Request-ID " + requestId + ")")
        + " failed verification [" + check + "]: " + detail);
    this.check = check;
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
