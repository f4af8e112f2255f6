package io.github.wechatpaypartner.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wechatpaypartner.signing.keys.CertificateLoader;
import io.github.wechatpaypartner.signing.notification.ApiV3Key;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import io.github.wechatpaypartner.testkit.ResourceEncryptor;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * {@code GET /v3/certificates} (downloadCertificates) as the service answers it: the certificates
 * of {@link SandboxKeys}, newest first, each PEM encrypted with the APIv3 key (AEAD_AES_256_GCM,
 * associated data {@code certificate}, as the spec's example); 404 NOT_FOUND in public key mode
 * (what wechatpay-java's CertificateDownloader reads as "switched to public keys").
 */
final class CertificatesEndpoint implements OperationState {
  static final String OPERATION = "downloadCertificates";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
  private static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);

  private final ServiceSpec spec;
  private final SandboxKeys keys;
  private final ResourceEncryptor encryptor;

  CertificatesEndpoint(ServiceSpec spec, SandboxKeys keys, String apiV3Key) {
    this.spec = spec;
    this.keys = keys;
    this.encryptor = new ResourceEncryptor(ApiV3Key.of(apiV3Key));
  }

  /**
   * The 200 body, or a {@link ServiceError} in public key mode.
   *
   * @param algorithm the {@code algorithm_type} query value (checked against the spec with every
   *     other query parameter), or {@code null}
   */
  @Override
  public String operationId() {
    return OPERATION;
  }

  @Override
  public JsonNode answer(OperationCall call) {
    return answer(call.operation(), call.query().get("algorithm_type"));
  }

  ObjectNode answer(ServiceSpec.Operation op, String algorithm) {
    if (keys.mode() == SandboxKeys.Mode.PUBLIC_KEY) {
      throw new ServiceError(spec.errorExample(op, 404), null);
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode data = body.putArray("data");
    if ("SM2".equals(algorithm)) {
      return body; // the sandbox has RSA certificates only
    }
    for (X509Certificate certificate : keys.certificates()) {
      String nonce = GeneratedCredentials.randomAlphanumeric(12);
      ObjectNode entry = data.addObject();
      entry.put("serial_no", CertificateLoader.serialOf(certificate));
      entry.put("effective_time", OffsetDateTime.ofInstant(certificate.getNotBefore().toInstant(), BEIJING).format(TIME));
      entry.put("expire_time", OffsetDateTime.ofInstant(certificate.getNotAfter().toInstant(), BEIJING).format(TIME));
      ObjectNode encrypted = entry.putObject("encrypt_certificate");
      encrypted.put("algorithm", "AEAD_AES_256_GCM");
      encrypted.put("nonce", nonce);
      encrypted.put("associated_data", "certificate");
      encrypted.put("ciphertext", encryptor.encrypt(GeneratedCredentials.pem(certificate), nonce, "certificate"));
    }
    return body;
  }
}
