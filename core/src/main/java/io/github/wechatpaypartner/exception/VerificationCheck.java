package io.github.wechatpaypartner.exception;

/** The check an answer or callback failed, in the order they are made. */
public enum VerificationCheck {
  /** One of Wechatpay-Timestamp, -Nonce, -Signature, -Serial is absent or empty. */
  MISSING_HEADER,
  /** Wechatpay-Serial names no trusted public key id or platform certificate. */
  UNKNOWN_SERIAL,
  /** Wechatpay-Timestamp is not a number of Unix seconds. */
  MALFORMED_TIMESTAMP,
  /** Wechatpay-Timestamp is more than 5 minutes away from the local clock. */
  TIMESTAMP_OUT_OF_WINDOW,
  /** A deliberate probe ({@code WECHATPAY/SIGNTEST/...}) that must not be trusted. */
  SIGNTEST_PROBE,
  /** Wechatpay-Signature is not Base64. */
  MALFORMED_SIGNATURE,
  /** The signature does not match the timestamp, nonce and body with the named key. */
  BAD_SIGNATURE,
  /** The answer did not pass the client's verification step at all (an interceptor made one up). */
  NOT_CHECKED
}
