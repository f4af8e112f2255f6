package io.github.wechatpaypartner.sandbox;

import io.github.wechatpaypartner.signing.keys.CertificateLoader;
import io.github.wechatpaypartner.testkit.GeneratedCredentials;
import io.github.wechatpaypartner.testkit.ServiceSigner;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The keys the sandbox signs answers and notifications with, as WeChat Pay's modes have them: its
 * WeChat Pay public key ({@code PUB_KEY_ID_...}, the default), platform certificates (served by
 * {@code GET /v3/certificates}), or both during a switchover, when an answer is signed with the
 * public key if the request's {@code Wechatpay-Serial} names it and with the newest certificate
 * otherwise. {@link #rotateCertificate()} replaces the signing certificate on demand; the one
 * before stays listed, as WeChat Pay lists old and new side by side during a rotation.
 * Thread-safe; every certificate is self-signed and generated here.
 */
public final class SandboxKeys {
  /** Which keys sign. */
  public enum Mode {
    /** The WeChat Pay public key only; {@code GET /v3/certificates} answers 404 NOT_FOUND. */
    PUBLIC_KEY,
    /** Platform certificates only (the older mode). */
    PLATFORM_CERTIFICATE,
    /** The switchover: either, as the request's {@code Wechatpay-Serial} asks (default: a certificate). */
    BOTH
  }

  /** WeChat Pay lists at most the current and the previous certificate. */
  private static final int LISTED = 2;

  /** Holds the WeChat Pay public key, which {@link Sandbox#rotateWechatpayKey()} can replace. */
  private final SandboxCredentials credentials;
  /** The sandbox's clock (an offset can be set on the control plane). */
  private final Clock clock;
  /** Newest first. */
  private final List<Certificate> certificates = new ArrayList<>();
  private Mode mode = Mode.PUBLIC_KEY;

  /** A platform certificate and the signer of its key. */
  static final class Certificate {
    final X509Certificate certificate;
    final ServiceSigner signer;

    Certificate(X509Certificate certificate, ServiceSigner signer) {
      this.certificate = certificate;
      this.signer = signer;
    }
  }

  SandboxKeys(SandboxCredentials credentials, Clock clock) {
    this.credentials = credentials;
    this.clock = clock;
  }

  public synchronized Mode mode() {
    return mode;
  }

  /** Switches mode; a certificate mode without a certificate yet makes one (an RSA key: tens of milliseconds). */
  public synchronized void mode(Mode value) {
    this.mode = Objects.requireNonNull(value, "mode");
    if (value != Mode.PUBLIC_KEY && certificates.isEmpty()) {
      rotateCertificate();
    }
  }

  /**
   * A new platform certificate signs from now on (in the certificate modes); the previous one stays
   * listed, older ones are dropped. Returns the new serial. (For the control plane as well.)
   */
  public synchronized String rotateCertificate() {
    KeyPair keys = GeneratedCredentials.rsa2048();
    X509Certificate certificate = GeneratedCredentials.selfSignedCertificate(keys, "WeChat Pay platform (sandbox)");
    String serial = CertificateLoader.serialOf(certificate);
    certificates.add(0, new Certificate(certificate, new ServiceSigner(keys.getPrivate(), serial, clock)));
    while (certificates.size() > LISTED) {
      certificates.remove(certificates.size() - 1);
    }
    return serial;
  }

  /** The certificates {@code GET /v3/certificates} lists, newest first (empty in public key mode). */
  public synchronized List<X509Certificate> certificates() {
    return mode == Mode.PUBLIC_KEY ? List.of()
        : certificates.stream().map(c -> c.certificate).collect(Collectors.toList());
  }

  /** The serial answers are signed under when the request names none. */
  public synchronized String signingSerial() {
    return signerFor(null).serial();
  }

  /**
   * The signer of notifications: a notification answers no request, so in the switchover it is
   * signed with the public key (the key a merchant moving to public keys trusts first); in
   * certificate mode with the newest certificate.
   */
  synchronized ServiceSigner notificationSigner() {
    return signerFor(mode == Mode.BOTH ? credentials.wechatpayPublicKeyId() : null);
  }

  /** The signer of an answer to a request whose {@code Wechatpay-Serial} is {@code requested} (may be null). */
  synchronized ServiceSigner signerFor(String requested) {
    if (mode == Mode.PUBLIC_KEY || (mode == Mode.BOTH && credentials.wechatpayPublicKeyId().equals(requested))) {
      return credentials.wechatpaySigner(clock);
    }
    return certificates.get(0).signer;
  }

  @Override
  public synchronized String toString() {
    return "SandboxKeys[" + mode + ", " + credentials.wechatpayPublicKeyId() + ", certificates "
        + certificates.stream().map(c -> c.signer.serial()).collect(Collectors.toList()) + "]";
  }
}
