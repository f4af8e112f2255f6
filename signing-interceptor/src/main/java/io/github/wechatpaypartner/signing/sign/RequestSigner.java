package io.github.wechatpaypartner.signing.sign;

import io.github.wechatpaypartner.exception.WechatPayException;
import io.github.wechatpaypartner.exception.ConfigurationException;
import io.github.wechatpaypartner.signing.CryptoProvider;
import io.github.wechatpaypartner.signing.MessageBytes;
import io.github.wechatpaypartner.signing.keys.MerchantCredentials;
import io.github.wechatpaypartner.signing.keys.TrustedKeys;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Signs requests with the partner scheme {@code WECHATPAY2-SHA256-RSA2048}: SHA256withRSA over
 * {@code method\ncanonical URL\ntimestamp\nnonce\nbody\n}, Base64, in the {@code Authorization}
 * header; also names the trusted WeChat Pay key in {@code Wechatpay-Serial}.
 *
 * <p>Immutable and thread-safe: each signature uses its own {@link Signature} object.
 */
public final class RequestSigner {
  public static final String SCHEME = "WECHATPAY2-SHA256-RSA2048";
  public static final String AUTHORIZATION = "Authorization";
  public static final String WECHATPAY_SERIAL = "Wechatpay-Serial";
  private static final Pattern SERIAL = Pattern.compile("[0-9A-Za-z_]+");

  private final String mchid;
  private final String merchantSerial;
  private final Supplier<String> wechatpaySerial;
  private final CryptoProvider.PreparedKey privateKey;
  private final CryptoProvider provider;
  private final Clock clock;
  private final NonceSource nonces;

  private RequestSigner(Builder b) {
    this.mchid = b.credentials.mchid();
    this.merchantSerial = b.credentials.certificateSerial();
    this.wechatpaySerial = b.wechatpaySerial;
    this.provider = b.provider;
    this.privateKey = b.provider.prepare(b.credentials.privateKey());
    this.clock = b.clock;
    this.nonces = b.nonces;
  }

  /**
   * @param credentials who signs
   * @param trustedKeys the WeChat Pay keys the client trusts; {@link
   *     WechatPayKeySet#preferredSerial()} of the current set is sent in {@code Wechatpay-Serial}
   *     (read per request: a managed set's choice follows its downloads)
   */
  public static Builder builder(MerchantCredentials credentials, TrustedKeys trustedKeys) {
    Objects.requireNonNull(trustedKeys, "trustedKeys");
    if (trustedKeys instanceof WechatPayKeySet) {
      String fixed = ((WechatPayKeySet) trustedKeys).preferredSerial();
      return new Builder(credentials, () -> fixed, false);
    }
    return new Builder(credentials, () -> trustedKeys.current().preferredSerial(), false);
  }

  /** @param wechatpaySerial the WeChat Pay public key id (or platform certificate serial) to send */
  public static Builder builder(MerchantCredentials credentials, String wechatpaySerial) {
    return new Builder(credentials, () -> wechatpaySerial, false);
  }

  /**
   * @param wechatpaySerial read per request; {@code null} sends no {@code Wechatpay-Serial} (the
   *     first platform certificate download, when no WeChat Pay key is known yet)
   */
  public static Builder builder(MerchantCredentials credentials, Supplier<String> wechatpaySerial) {
    return new Builder(credentials, Objects.requireNonNull(wechatpaySerial, "wechatpaySerial"), true);
  }

  /** Path plus {@code ?query}, both raw (percent-encoded exactly as sent), no scheme or host. */
  public static String canonicalUrl(URI uri) {
    String path = uri.getRawPath();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    String query = uri.getRawQuery();
    return query == null ? path : path + "?" + query;
  }

  /** The headers for one attempt: {@code Authorization} and {@code Wechatpay-Serial}. */
  public Map<String, String> headers(String method, String canonicalUrl, byte[] body) {
    String serial = wechatpaySerial.get();
    String authorization = authorization(method, canonicalUrl, body);
    return serial == null ? Map.of(AUTHORIZATION, authorization)
        : Map.of(AUTHORIZATION, authorization, WECHATPAY_SERIAL, serial);
  }

  /**
   * The {@code Authorization} value for one attempt (fresh timestamp and nonce each call).
   *
   * @param body the exact bytes that will be sent (empty for a GET)
   */
  public String authorization(String method, String canonicalUrl, byte[] body) {
    if (!isUpperCaseWord(method)) {
      throw new IllegalArgumentException("method must be an upper-case HTTP method, got '"
          + method + "'");
    }
    if (canonicalUrl == null || !canonicalUrl.startsWith("/")) {
      throw new IllegalArgumentException("canonicalUrl must be the absolute path (plus ?query)"
          + " without scheme or host, got '" + canonicalUrl + "'");
    }
    Objects.requireNonNull(body, "body");
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    String nonce = nonces.nextNonce();
    if (nonce == null || nonce.isEmpty() || nonce.indexOf('"') >= 0 || nonce.indexOf('\n') >= 0) {
      throw new IllegalStateException("The nonce source returned an unusable nonce (empty, or"
          + " holding a quote or line break)");
    }
    String signature = sign(MessageBytes.lines(method, canonicalUrl, timestamp, nonce), body);
    return new StringBuilder(SCHEME.length() + 140 + signature.length() + mchid.length()
            + merchantSerial.length())
        .append(SCHEME).append(" mchid=\"").append(mchid)
        .append("\",nonce_str=\"").append(nonce)
        .append("\",signature=\"").append(signature)
        .append("\",timestamp=\"").append(timestamp)
        .append("\",serial_no=\"").append(merchantSerial)
        .append('"')
        .toString();
  }

  /** {@code [A-Z]+}, checked without a regex: this runs on every request. */
  private static boolean isUpperCaseWord(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 'A' || c > 'Z') {
        return false;
      }
    }
    return true;
  }

  private String sign(byte[] head, byte[] body) {
    try {
      Signature signature = privateKey.initSign();
      signature.update(head);
      signature.update(body);
      signature.update(MessageBytes.newline());
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      // The message of a provider error names no key material; the header is not built yet.
      throw new WechatPayException("Signing with " + provider + " failed: " + e, e);
    }
  }

  public String mchid() {
    return mchid;
  }

  public String merchantSerial() {
    return merchantSerial;
  }

  public String wechatpaySerial() {
    return wechatpaySerial.get();
  }

  @Override
  public String toString() {
    return "RequestSigner[mchid=" + mchid + ", serial_no=" + merchantSerial
         + ", Wechatpay-Serial=" + wechatpaySerial.get() + ", " + provider + "]";
  }

  /** Settings of a signer; everything but the credentials and serial has a default. */
  public static final class Builder {
    private final MerchantCredentials credentials;
    private final Supplier<String> wechatpaySerial;
    private CryptoProvider provider;
    private Clock clock = Clock.systemUTC();
    private NonceSource nonces;

    private Builder(MerchantCredentials credentials, Supplier<String> serials, boolean mayBeNone) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      // Checked once here: a key set only ever names ids and serials of this shape.
      String wechatpaySerial = serials.get();
      if (wechatpaySerial == null && mayBeNone) {
        this.wechatpaySerial = serials;
        return;
      }
      if (wechatpaySerial == null || !SERIAL.matcher(wechatpaySerial).matches()) {
        throw new ConfigurationException("Wechatpay-Serial must be a WeChat Pay public key id"
            + " (PUB_KEY_ID_...) or a platform certificate serial, got "
            + (wechatpaySerial == null ? "null" : "'" + wechatpaySerial + "'"));
      }
      this.wechatpaySerial = serials;
    }

    /** Default: {@link CryptoProvider#detect()}. */
    public Builder provider(CryptoProvider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** Default: the system clock in UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Default: {@link NonceSource#secureRandom()}. */
    public Builder nonceSource(NonceSource nonces) {
      this.nonces = Objects.requireNonNull(nonces, "nonces");
      return this;
    }

    public RequestSigner build() {
      if (provider == null) {
        provider = CryptoProvider.detect();
      }
      if (nonces == null) {
        nonces = NonceSource.secureRandom();
      }
      return new RequestSigner(this);
    }
  }
}
