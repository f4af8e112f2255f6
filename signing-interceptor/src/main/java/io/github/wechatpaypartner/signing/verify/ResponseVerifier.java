package io.github.wechatpaypartner.signing.verify;

import io.github.wechatpaypartner.client.hook.IncomingResponse;
import io.github.wechatpaypartner.client.hook.ResponseHook;
import io.github.wechatpaypartner.signing.CryptoProvider;
import io.github.wechatpaypartner.signing.keys.WechatPayKeySet;
import java.time.Clock;
import java.util.Objects;

/**
 * Verifies every answer (2xx and errors alike) before the client reads its body, and rejects it
 * with a {@link ResponseVerificationException} when any check fails. Verification cannot be
 * turned off here: a client without this hook simply has no verification.
 */
public final class ResponseVerifier implements ResponseHook {
  private final SignatureVerifier verifier;

  public ResponseVerifier(SignatureVerifier verifier) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
  }

  /** With the default provider ({@link CryptoProvider#detect()}) and the system clock. */
  public static ResponseVerifier of(WechatPayKeySet keySet) {
    return new ResponseVerifier(
        new SignatureVerifier(keySet, CryptoProvider.detect(), Clock.systemUTC()));
  }

  public static ResponseVerifier of(WechatPayKeySet keySet, CryptoProvider provider, Clock clock) {
    return new ResponseVerifier(new SignatureVerifier(keySet, provider, clock));
  }

  @Override
  public void onResponse(IncomingResponse response) {
    verifier.check(HeaderLookup.of(response.headers()), response.body()).ifPresent(failure -> {
      throw new ResponseVerificationException(failure, response.request().operationId(),
          response.statusCode(), response.requestId());
    });
  }

  @Override
  public String toString() {
    return "ResponseVerifier[" + verifier + "]";
  }
}
