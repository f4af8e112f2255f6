package io.github.wechatpaypartner.signing.keys;

import io.github.wechatpaypartner.exception.KeyLoadingException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who signs: the service provider's {@code mchid}, its API certificate serial and its API private
 * key. Immutable; {@link #toString()} never shows the key.
 */
public final class MerchantCredentials {
  private static final Pattern MCHID = Pattern.compile("[0-9]{1,32}");
  private static final Pattern SERIAL = Pattern.compile("[0-9A-Fa-f]{1,64}");

  private final String mchid;
  private final String certificateSerial;
  private final PrivateKey privateKey;

  private MerchantCredentials(String mchid, String certificateSerial, PrivateKey privateKey) {
    this.mchid = mchid;
    this.certificateSerial = certificateSerial;
    this.privateKey = privateKey;
  }

  /**
   * @param mchid the service provider's merchant id (digits)
   * @param certificateSerial the serial of {@code apiclient_cert.pem}, hex (case is normalized)
   * @param privateKey the key of {@code apiclient_key.pem}
   */
  public static MerchantCredentials of(String mchid, String certificateSerial, PrivateKey privateKey) {
    if (mchid == null || !MCHID.matcher(mchid).matches()) {
      throw new KeyLoadingException("mchid must be the merchant id in digits, got "
          + (mchid == null ? "null" : "'" + mchid + "'"));
    }
    if (certificateSerial == null || !SERIAL.matcher(certificateSerial).matches()) {
      throw new KeyLoadingException("The merchant certificate serial must be hex (as in"
          + " apiclient_cert.pem), got " + (certificateSerial == null ? "null" : "'"
          + certificateSerial + "'"));
    }
    return new MerchantCredentials(mchid, certificateSerial.toUpperCase(Locale.ROOT),
        PrivateKeyLoader.of(privateKey));
  }

  /**
   * Reads {@code apiclient_key.pem} and {@code apiclient_cert.pem}, takes the serial from the
   * certificate and checks that the key belongs to it.
   */
  public static MerchantCredentials fromFiles(String mchid, Path apiclientKeyPem,
      Path apiclientCertPem) {
    return fromFiles(mchid, apiclientKeyPem, null, apiclientCertPem);
  }

  /** Like {@link #fromFiles(String, Path, Path)} for an encrypted key. */
  public static MerchantCredentials fromFiles(String mchid, Path apiclientKeyPem, char[] password,
      Path apiclientCertPem) {
    return of(mchid, PrivateKeyLoader.fromFile(apiclientKeyPem, password),
        CertificateLoader.fromFile(apiclientCertPem), PemObjects.describeSource(apiclientKeyPem),
        PemObjects.describeSource(apiclientCertPem));
  }

  /**
   * Takes the serial from the merchant certificate ({@code apiclient_cert.pem}) and checks that the
   * key belongs to it.
   */
  public static MerchantCredentials of(String mchid, PrivateKey key, X509Certificate certificate) {
    return of(mchid, key, certificate, "the private key", "the merchant certificate");
  }

  private static MerchantCredentials of(String mchid, PrivateKey key, X509Certificate certificate,
      String keySource, String certificateSource) {
    if (!(certificate.getPublicKey() instanceof RSAKey)
        || !((RSAKey) certificate.getPublicKey()).getModulus()
            .equals(((RSAKey) key).getModulus())) {
      throw new KeyLoadingException("The private key in " + keySource
          + " does not belong to the certificate in " + certificateSource
          + " (serial " + CertificateLoader.serialOf(certificate) + ")");
    }
    return of(mchid, CertificateLoader.serialOf(certificate), key);
  }

  public String mchid() {
    return mchid;
  }

  /** Upper-case hex serial, sent as {@code serial_no}. */
  public String certificateSerial() {
    return certificateSerial;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  @Override
  public String toString() {
    return "MerchantCredentials[mchid=" + mchid + ", serial_no=" + certificateSerial
        + ", privateKey=" + privateKey.getAlgorithm() + " (hidden)]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MerchantCredentials
        && mchid.equals(((MerchantCredentials) o).mchid)
        && certificateSerial.equals(((MerchantCredentials) o).certificateSerial)
        && privateKey.equals(((MerchantCredentials) o).privateKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mchid, certificateSerial);
  }
}
