package io.github.wechatpaypartner.signing;

import io.github.wechatpaypartner.client.runtime.IncomingResponse;
import io.github.wechatpaypartner.client.runtime.Interceptor;
import io.github.wechatpaypartner.client.runtime.Verdict;
import io.github.wechatpaypartner.signing.verify.HeaderLookup;
import io.github.wechatpaypartner.signing.verify.SignatureVerifier;
import java.io.IOException;

/**
 * The pipeline's answer-verification step, next to the transport: it classifies the status
 * first and verifies second, as the official SDK does, and gives the answer its {@link Verdict}.
 *
 * <ul>
 *   <li>non-2xx without any {@code Wechatpay-*} signature header: a gateway or proxy answered, not
 *       the service: {@link Verdict#UNSIGNED_ERROR} (nothing to verify);
 *   <li>everything else (2xx, signed errors): verified; {@link Verdict#VERIFIED} or
 *       {@link Verdict#failed} naming the check.
 * </ul>
 *
 * <p>{@link #notVerifying()} marks every answer {@link Verdict#NOT_VERIFIED}: only for the named
 * insecure mock-server mode, which the client refuses for WeChat Pay's hosts.
 */
public final class AnswerVerification implements Interceptor {
  private final SignatureVerifier verifier;

  private AnswerVerification(SignatureVerifier verifier) {
    this.verifier = verifier;
  }

  public static AnswerVerification with(SignatureVerifier verifier) {
    return new AnswerVerification(java.util.Objects.requireNonNull(verifier, "verifier"));
  }

  /** Verifies nothing: for a mock server that does not sign. */
  public static AnswerVerification notVerifying() {
    return new AnswerVerification(null);
  }

  @Override
  public IncomingResponse intercept(Chain chain) throws IOException, InterruptedException {
    IncomingResponse response = chain.proceed(chain.request());
    if (verifier == null) {
      return response.withVerdict(Verdict.NOT_VERIFIED);
    }
    if (!response.isSuccess() && !signed(response)) {
      return response.withVerdict(Verdict.UNSIGNED_ERROR);
    }
    return response.withVerdict(verifier.check(HeaderLookup.of(response.headers()), response.body())
        .map(failure -> Verdict.failed(failure.check(), failure.detail()))
        .orElse(Verdict.VERIFIED));
  }

  private static boolean signed(IncomingResponse response) {
    return response.header(SignatureVerifier.SIGNATURE) != null
        || response.header(SignatureVerifier.TIMESTAMP) != null
        || response.header(SignatureVerifier.SERIAL) != null
        || response.header(SignatureVerifier.NONCE) != null;
  }

  @Override
  public String toString() {
    return verifier == null ? "AnswerVerification[NOT VERIFIED: mock server]" : "AnswerVerification[" + verifier + "]";
  }
}
