package io.github.wechatpaypartner.testkit;

import io.github.wechatpaypartner.signing.CryptoProvider;
import io.github.wechatpaypartner.signing.MessageBytes;
import io.github.wechatpaypartner.signing.sign.RequestSigner;
import io.github.wechatpaypartner.signing.verify.TimestampWindow;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's check of a request's {@code Authorization}, for sandboxes and tests that play
 * WeChat Pay: the {@code WECHATPAY2-SHA256-RSA2048} scheme, the five parameters, the merchant id,
 * the certificate serial, the 5-minute window and the SHA256withRSA signature over
 * {@code method\nurl\ntimestamp\nnonce\nbody\n} with the merchant's public key. Nonce replay is
 * the caller's to track (it needs state); {@link Result#nonce()} gives the nonce. Thread-safe.
 */
public final class RequestAuthentication {
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final String mchid;
  private final String merchantSerial;
  private final PublicKey merchantKey;
  private final CryptoProvider provider;
  private final Clock clock;

  public RequestAuthentication(String mchid, String merchantSerial, PublicKey merchantKey, Clock clock) {
    this(mchid, merchantSerial, merchantKey, CryptoProvider.jdk(), clock);
  }

  public RequestAuthentication(String mchid, String merchantSerial, PublicKey merchantKey,
      CryptoProvider provider, Clock clock) {
    this.mchid = Objects.requireNonNull(mchid, "mchid");
    this.merchantSerial = Objects.requireNonNull(merchantSerial, "merchantSerial");
    this.merchantKey = Objects.requireNonNull(merchantKey, "merchantKey");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @param canonicalUrl path and {@code ?query} exactly as received
   * @param authorization the header's value, or {@code null}
   * @return the verdict: accepted with the nonce, or refused with the reason
   */
  public Result check(String method, String canonicalUrl, String authorization, byte[] body) {
    if (authorization == null || authorization.isEmpty()) {
      return Result.refused("Authorization header is missing");
    }
    String prefix = RequestSigner.SCHEME + " ";
    if (!authorization.startsWith(prefix)) {
      return Result.refused("Authorization scheme is not " + RequestSigner.SCHEME);
    }
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = PARAM.matcher(authorization.substring(prefix.length()));
    while (m.find()) {
      params.put(m.group(1), m.group(2));
    }
    for (String name : new String[] {"mchid", "nonce_str", "signature", "timestamp", "serial_no"}) {
      if (!params.containsKey(name) || params.get(name).isEmpty()) {
        return Result.refused("Authorization lacks " + name);
      }
    }
    if (!mchid.equals(params.get("mchid"))) {
      return Result.refused("mchid " + params.get("mchid") + " is not the merchant of this key");
    }
    if (!merchantSerial.equalsIgnoreCase(params.get("serial_no"))) {
      return Result.refused("serial_no " + params.get("serial_no") + " names no certificate of merchant " + mchid);
    }
    OptionalLong timestamp = TimestampWindow.parse(params.get("timestamp"));
    if (timestamp.isEmpty()) {
      return Result.refused("timestamp is not Unix seconds (digits only)");
    }
    Optional<String> outside = TimestampWindow.outside(timestamp.getAsLong(), clock.instant());
    if (outside.isPresent()) {
      return Result.refused("timestamp is " + outside.get() + " the service's clock, outside the 5-minute window");
    }
    try {
      Signature s = provider.newSignature();
      s.initVerify(merchantKey);
      s.update(MessageBytes.lines(method, canonicalUrl, params.get("timestamp"), params.get("nonce_str")));
      s.update(body);
      s.update(MessageBytes.newline());
      if (!s.verify(Base64.getDecoder().decode(params.get("signature")))) {
        return Result.refused("signature does not verify with the merchant's public key");
      }
    } catch (IllegalArgumentException e) {
      return Result.refused("signature is not Base64");
    } catch (GeneralSecurityException e) {
      return Result.refused("signature cannot be verified: " + e.getMessage());
    }
    return new Result(null, params.get("nonce_str"));
  }

  /** The verdict on one request. */
  public static final class Result {
    private final String refusal;
    private final String nonce;

    private Result(String refusal, String nonce) {
      this.refusal = refusal;
      this.nonce = nonce;
    }

    static Result refused(String why) {
      return new Result(why, null);
    }

    public boolean accepted() {
      return refusal == null;
    }

    /** Why the request was refused (for a 401 SIGN_ERROR message); empty when accepted. */
    public Optional<String> refusal() {
      return Optional.ofNullable(refusal);
    }

    /** The request's {@code nonce_str}, when accepted. */
    public String nonce() {
      return nonce;
    }

    @Override
    public String toString() {
      return accepted() ? "accepted" : "refused: " + refusal;
    }
  }
}
