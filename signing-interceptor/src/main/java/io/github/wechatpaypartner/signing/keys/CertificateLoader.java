package io.github.wechatpaypartner.signing.keys;

import io.github.wechatpaypartner.exception.KeyLoadingException;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Locale;

/**
 * Loads X.509 certificates: the merchant's {@code apiclient_cert.pem} (for its serial) and
 * WeChat Pay platform certificates. Serials are written the way the service writes them:
 * upper-case hex of the X.509 serial number. A file of one certificate is read with the JDK
 * alone; Bouncy Castle names what any other text holds.
 */
public final class CertificateLoader {
  static final String EXPECTED = "an X.509 certificate (BEGIN CERTIFICATE)";

  private CertificateLoader() {}

  public static X509Certificate fromFile(Path pemFile) {
    return load(PemObjects.readFile(pemFile, EXPECTED), PemObjects.describeSource(pemFile));
  }

  public static X509Certificate fromPem(String pem) {
    return load(pem, "the certificate PEM text");
  }

  /**
   * The merchant certificate serial ({@code serial_no} of the Authorization header) read from
   * {@code apiclient_cert.pem}, so that nobody has to copy it by hand.
   */
  public static String merchantSerial(Path apiclientCertPem) {
    return serialOf(fromFile(apiclientCertPem));
  }

  /** Upper-case hex of the certificate's serial number. */
  public static String serialOf(X509Certificate certificate) {
    return hex(certificate.getSerialNumber());
  }

  static String hex(BigInteger serial) {
    return serial.toString(16).toUpperCase(Locale.ROOT);
  }

  private static X509Certificate load(String pem, String source) {
    byte[] der = PemObjects.singleBlock(pem, "CERTIFICATE");
    if (der != null) {
      try {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(der));
      } catch (CertificateException | ClassCastException unreadable) {
        // Bouncy Castle's reading below says what is wrong with it.
      }
    }
    return BouncyCastlePem.certificate(pem, source);
  }
}
