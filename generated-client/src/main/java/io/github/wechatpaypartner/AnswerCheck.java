package io.github.wechatpaypartner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wechatpaypartner.client.runtime.IncomingResponse;
import io.github.wechatpaypartner.client.runtime.Interceptor;
import io.github.wechatpaypartner.exception.GatewayException;
import io.github.wechatpaypartner.exception.ResponseVerificationException;
import io.github.wechatpaypartner.exception.ServiceException;
import io.github.wechatpaypartner.signing.verify.HeaderLookup;
import io.github.wechatpaypartner.signing.verify.SignatureVerifier;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client's own answer step, next to the transport: it classifies the status first and
 * verifies second, as the official SDK does.
 *
 * <ul>
 *   <li>2xx: verified; a failure throws {@link ResponseVerificationException} (never retried: the
 *       request may have been processed).
 *   <li>non-2xx without any {@code Wechatpay-*} signature header: a gateway or proxy answered,
 *       not the service: {@link GatewayException} (retried when the policy lists its status).
 *   <li>non-2xx with signature headers: verified, then the service's error becomes
 *       {@link ServiceException}; a signed error that fails verification is not trusted either.
 * </ul>
 *
 * <p>Without a verifier (only the named insecure mock-server mode, which the client refuses for
 * WeChat Pay's hosts) nothing is verified and every non-2xx is a {@link ServiceException}.
 */
final class AnswerCheck implements Interceptor {
  private final SignatureVerifier verifier;
  private final ObjectMapper mapper;

  AnswerCheck(SignatureVerifier verifier, ObjectMapper mapper) {
    this.verifier = verifier;
    this.mapper = mapper;
  }

  @Override
  public IncomingResponse intercept(Chain chain) throws IOException, InterruptedException {
    IncomingResponse response = chain.proceed(chain.request());
    int status = response.statusCode();
    String operationId = response.request().operationId();
    if (status / 100 != 2 && verifier != null && !signed(response)) {
      throw new GatewayException(operationId, status, response.request().uri().getRawAuthority(),
          response.body());
    }
    if (verifier != null) {
      verifier.check(HeaderLookup.of(response.headers()), response.body()).ifPresent(failure -> {
        throw new ResponseVerificationException(failure.check(), failure.detail(), operationId,
            status, response.requestId());
      });
    }
    if (status / 100 != 2) {
      throw serviceError(response);
    }
    return response;
  }

  private static boolean signed(IncomingResponse response) {
    return response.header(SignatureVerifier.SIGNATURE) != null
        || response.header(SignatureVerifier.TIMESTAMP) != null
        || response.header(SignatureVerifier.SERIAL) != null
        || response.header(SignatureVerifier.NONCE) != null;
  }

  /** The spec's error object ({@code code}, {@code message}, {@code detail}) when the body is one. */
  private ServiceException serviceError(IncomingResponse response) {
    String code = null;
    String message = null;
    Map<String, Object> detail = Map.of();
    try {
      JsonNode root = response.body().length == 0 ? null : mapper.readTree(response.body());
      if (root != null && root.isObject()) {
        code = root.path("code").isTextual() ? root.get("code").asText() : null;
        message = root.path("message").isTextual() ? root.get("message").asText() : null;
        if (root.path("detail").isObject()) {
          @SuppressWarnings("unchecked")
          Map<String, Object> parsed = mapper.convertValue(root.get("detail"), LinkedHashMap.class);
          detail = Collections.unmodifiableMap(parsed);
        }
      }
    } catch (IOException notJson) {
      // Not an error object: the raw body stays available on the exception.
    }
    return new ServiceException(response.request().operationId(), response.statusCode(),
        response.requestId(), code, message, detail, response.body());
  }

  @Override
  public String toString() {
    return verifier == null ? "AnswerCheck[NOT VERIFIED: mock server]" : "AnswerCheck[" + verifier + "]";
  }
}
