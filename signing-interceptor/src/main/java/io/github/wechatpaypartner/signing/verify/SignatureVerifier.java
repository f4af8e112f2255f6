package io.github.wechatpaypartner.signing.verify;

import io.github.wechatpaypartner.exception.VerificationCheck;
import io.github.wechatpaypartner.signing.CryptoProvider;
import io.github.wechatpaypartner.signing.MessageBytes;
import io.github.wechatpaypartner.signing.keys.TrustedKeys;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Checks the WeChat Pay signature headers of an answer or a callback, in this order: all four
 * headers present, serial trusted, timestamp a number within 5 minutes of the local clock, not a
 * {@code WECHATPAY/SIGNTEST/} probe, signature Base64 and valid over {@code
 * timestamp\nnonce\nbody\n}. Thread-safe; there is no switch to skip a check. The keys are read
 * from {@link TrustedKeys} on each check, so a managed set that changes is followed at once.
 */
public final class SignatureVerifier {
  public static final String TIMESTAMP = "Wechatpay-Timestamp";
  public static final String NONCE = "Wechatpay-Nonce";
  public static final String SIGNATURE = "Wechatpay-Signature";
  public static final String SERIAL = "Wechatpay-Serial";
  /** Allowed distance between Wechatpay-Timestamp and the local clock, either way. */
  public static final long MAX_CLOCK_SKEW_SECONDS = TimestampWindow.MAX_SKEW_SECONDS;
  static final String SIGNTEST_PREFIX = "WECHATPAY/SIGNTEST/";
  private static final String[] REQUIRED = {TIMESTAMP, NONCE, SIGNATURE, SERIAL};

  private final TrustedKeys trusted;
  private final CryptoProvider provider;
  private final Clock clock;
  /** The last set seen and its keys translated into the provider: done again only when the set changes. */
  private volatile Prepared prepared;

  /**
   * @param trusted the trusted WeChat Pay keys (a {@link WechatPayKeySet}, or a managed set)
   * @param provider computes SHA256withRSA; keys are translated into it once per set
   * @param clock the local clock the timestamp is compared with
   */
  public SignatureVerifier(TrustedKeys trusted, CryptoProvider provider, Clock clock) {
    this.trusted = Objects.requireNonNull(trusted, "trusted");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.prepared = new Prepared(trusted.current(), provider);
  }

  private static final class Prepared {
    final WechatPayKeySet set;
    final Map<String, CryptoProvider.PreparedKey> keys;

    Prepared(WechatPayKeySet set, CryptoProvider provider) {
      this.set = set;
      Map<String, CryptoProvider.PreparedKey> adopted = new HashMap<>();
      set.keys().forEach((serial, key) -> adopted.put(serial, provider.prepare(key.publicKey())));
      this.keys = Collections.unmodifiableMap(adopted);
    }
  }

  private Prepared prepared(WechatPayKeySet set) {
    Prepared p = prepared;
    if (p.set != set) {
      p = new Prepared(set, provider);
      prepared = p;
    }
    return p;
  }

  /** The first failed check, or empty when the signature is valid. */
  public Optional<VerificationFailure> check(HeaderLookup headers, byte[] body) {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    String[] values = new String[REQUIRED.length];
    for (int i = 0; i < REQUIRED.length; i++) {
      String value = headers.first(REQUIRED[i]);
      if (value == null || value.trim().isEmpty()) {
        return fail(VerificationCheck.MISSING_HEADER, "header " + REQUIRED[i] + " is missing");
      }
      values[i] = value.trim();
    }
    String timestamp = values[0];
    String nonce = values[1];
    String signature = values[2];
    String serial = values[3];

    Prepared p = prepared(trusted.current());
    CryptoProvider.PreparedKey key = p.keys.get(serial);
    if (key == null) {
      // A managed set may learn the serial (a rotated platform certificate) by downloading again.
      p = prepared(trusted.afterUnknownSerial(serial));
      key = p.keys.get(serial);
    }
    if (key == null) {
      return fail(VerificationCheck.UNKNOWN_SERIAL, "Wechatpay-Serial " + quoted(serial)
          + " names no trusted WeChat Pay public key or platform certificate (trusted: "
          + p.set.serials() + ")");
    }

    OptionalLong seconds = TimestampWindow.parse(timestamp);
    if (seconds.isEmpty()) {
      return fail(VerificationCheck.MALFORMED_TIMESTAMP, "Wechatpay-Timestamp " + quoted(timestamp)
          + " is not a number of Unix seconds (digits only)");
    }
    Optional<String> outside = TimestampWindow.outside(seconds.getAsLong(), clock.instant());
    if (outside.isPresent()) {
      return fail(VerificationCheck.TIMESTAMP_OUT_OF_WINDOW, "Wechatpay-Timestamp " + timestamp
          + " is " + outside.get() + " the local clock (allowed: " + MAX_CLOCK_SKEW_SECONDS
          + " s either way); a replay, or a local clock that is off");
    }

    if (signature.startsWith(SIGNTEST_PREFIX)) {
      return fail(VerificationCheck.SIGNTEST_PROBE, "Wechatpay-Signature is a WECHATPAY/SIGNTEST/"
          + " probe, which the service sends to check that clients verify signatures; not trusted");
    }

    byte[] signatureBytes;
    try {
      signatureBytes = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      return fail(VerificationCheck.MALFORMED_SIGNATURE,
          "Wechatpay-Signature is not valid Base64 (" + e.getMessage() + ")");
    }

    boolean valid;
    try {
      Signature verifier = key.initVerify();
      verifier.update(MessageBytes.lines(timestamp, nonce));
      verifier.update(body);
      verifier.update(MessageBytes.newline());
      valid = verifier.verify(signatureBytes);
    } catch (GeneralSecurityException e) {
      // e.g. a signature of the wrong length: as untrustworthy as a wrong one.
      return fail(VerificationCheck.BAD_SIGNATURE, "Wechatpay-Signature cannot be checked with "
          + "the key " + serial + " (" + e.getClass().getSimpleName() + ")");
    }
    if (!valid) {
      return fail(VerificationCheck.BAD_SIGNATURE, "Wechatpay-Signature does not match the"
          + " timestamp, nonce and body for the key " + serial
          + " (body altered on the way, or not signed by WeChat Pay)");
    }
    return Optional.empty();
  }

  private static Optional<VerificationFailure> fail(VerificationCheck check, String detail) {
    return Optional.of(new VerificationFailure(check, detail));
  }

  /** Header values come from the network: keep them short and on one line in messages. */
  private static String quoted(String value) {
    String clean = value.replaceAll("[\\r\\n\\t]", " ");
    return "'" + (clean.length() > 64 ? clean.substring(0, 64) + "..." : clean) + "'";
  }

  /** The keys trusted now. */
  public WechatPayKeySet keySet() {
    return trusted.current();
  }

  @Override
  public String toString() {
    return "SignatureVerifier[" + trusted + ", " + provider + "]";
  }
}
