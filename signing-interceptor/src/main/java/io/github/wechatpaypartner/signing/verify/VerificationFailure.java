package io.github.wechatpaypartner.signing.verify;

import io.github.wechatpaypartner.exception.VerificationCheck;

/** Which check failed and why, without body or key material. */
public final class VerificationFailure {
  private final VerificationCheck check;
  private final String detail;

  VerificationFailure(VerificationCheck check, String detail) {
    this.check = check;
    this.detail = detail;
  }

  public VerificationCheck check() {
    return check;
  }

  /** A sentence naming what was wrong (a header name, a serial, a time difference). */
  public String detail() {
    return detail;
  }

  @Override
  public String toString() {
    return check + ": " + detail;
  }
}
