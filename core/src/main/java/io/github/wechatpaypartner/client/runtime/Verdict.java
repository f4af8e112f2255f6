package io.github.wechatpaypartner.client.runtime;

import io.github.wechatpaypartner.exception.VerificationCheck;
import java.util.Objects;

/**
 * What the client's verification step found out about one answer. An answer leaves the
 * {@link Transport} {@link #UNCHECKED}; the verification step, which no interceptor can remove,
 * marks it. The call path trusts an answer only when it is {@link #VERIFIED} (or deliberately
 * {@link #NOT_VERIFIED} in the named mock-server mode), so an answer that skipped the step fails.
 */
public final class Verdict {
  /** What kind of verdict. */
  public enum Kind {
    /** Nothing checked it yet. */
    UNCHECKED,
    /** Its signature, serial and time window verified. */
    VERIFIED,
    /** A non-2xx without any {@code Wechatpay-*} header: a gateway or proxy answered, not the service. */
    UNSIGNED_ERROR,
    /** It failed a check ({@link #check()}): it must not be trusted. */
    FAILED,
    /** Not verified on purpose: the client talks to a mock server that does not sign. */
    NOT_VERIFIED
  }

  public static final Verdict UNCHECKED = new Verdict(Kind.UNCHECKED, null, null);
  public static final Verdict VERIFIED = new Verdict(Kind.VERIFIED, null, null);
  public static final Verdict UNSIGNED_ERROR = new Verdict(Kind.UNSIGNED_ERROR, null, null);
  public static final Verdict NOT_VERIFIED = new Verdict(Kind.NOT_VERIFIED, null, null);

  private final Kind kind;
  private final VerificationCheck check;
  private final String detail;

  private Verdict(Kind kind, VerificationCheck check, String detail) {
    this.kind = kind;
    this.check = check;
    this.detail = detail;
  }

  /** The answer failed {@code check}; {@code detail} says how, never with key material. */
  public static Verdict failed(VerificationCheck check, String detail) {
    return new Verdict(Kind.FAILED, Objects.requireNonNull(check, "check"), detail);
  }

  public Kind kind() {
    return kind;
  }

  /** The failed check of a {@link Kind#FAILED} verdict, else {@code null}. */
  public VerificationCheck check() {
    return check;
  }

  /** Why a {@link Kind#FAILED} verdict failed, else {@code null}. */
  public String detail() {
    return detail;
  }

  @Override
  public String toString() {
    return kind == Kind.FAILED ? "FAILED[" + check + "]: " + detail : kind.name();
  }
}
