package io.github.wechatpaypartner.signing.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.exception.KeyLoadingException;
import io.github.wechatpaypartner.signing.TestPki;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublicKeyAndCertificateTest {
  private static final String SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";

  @TempDir Path dir;

  @Test
  void loadsWechatpayPublicKey() throws Exception {
    KeyPair keys = TestPki.wechatpayKey();
    Path file = TestPki.write(dir, "pub_key.pem", TestPki.pem(keys.getPublic()));
    PublicKey loaded = PublicKeyLoader.fromFile(file);
    assertEquals(keys.getPublic(), loaded);
  }

  @Test
  void privateKeyOrCertificateGivenAsPublicKeyIsNamed() {
    KeyPair keys = TestPki.wechatpayKey();
    KeyLoadingException cert = assertThrows(KeyLoadingException.class,
        () -> PublicKeyLoader.fromPem(TestPki.pem(TestPki.selfSigned(keys, BigInteger.ONE, "x"))));
    assertTrue(cert.getMessage().contains("holds a certificate (BEGIN CERTIFICATE); expected an"
        + " RSA public key (BEGIN PUBLIC KEY)"), cert.getMessage());
    KeyLoadingException key = assertThrows(KeyLoadingException.class,
        () -> PublicKeyLoader.fromPem(TestPki.pkcs8Pem(keys.getPrivate())));
    assertTrue(key.getMessage().contains("holds an RSA private key (BEGIN PRIVATE KEY)"),
        key.getMessage());
  }

  @Test
  void smallOrEcPublicKeyIsRejected() throws Exception {
    KeyLoadingException small = assertThrows(KeyLoadingException.class,
        () -> PublicKeyLoader.fromPem(TestPki.pem(TestPki.rsa(1024).getPublic())));
    assertTrue(small.getMessage().contains("1024 bits"), small.getMessage());

    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    KeyLoadingException e = assertThrows(KeyLoadingException.class,
        () -> PublicKeyLoader.fromPem(TestPki.pem(ec.generateKeyPair().getPublic())));
    assertTrue(e.getMessage().contains("holds an EC public key"), e.getMessage());
  }

  @Test
  void merchantSerialIsReadFromTheCertificate() throws Exception {
    X509Certificate cert = TestPki.selfSigned(TestPki.merchantKey(), new BigInteger(SERIAL, 16),
        "merchant");
    Path file = TestPki.write(dir, "apiclient_cert.pem", TestPki.pem(cert));
    assertEquals(SERIAL, CertificateLoader.merchantSerial(file));
    assertEquals(cert, CertificateLoader.fromFile(file));
  }

  @Test
  void keyGivenAsCertificateIsNamed() {
    KeyLoadingException e = assertThrows(KeyLoadingException.class,
        () -> CertificateLoader.fromPem(TestPki.pem(TestPki.merchantKey().getPublic())));
    assertTrue(e.getMessage().contains("holds an RSA public key (BEGIN PUBLIC KEY); expected an"
        + " X.509 certificate (BEGIN CERTIFICATE)"), e.getMessage());
  }

  @Test
  void credentialsFromFilesTakeTheSerialAndCheckTheKeyBelongsToTheCertificate() throws Exception {
    KeyPair merchant = TestPki.merchantKey();
    Path key = TestPki.write(dir, "apiclient_key.pem", TestPki.pkcs8Pem(merchant.getPrivate()));
    Path cert = TestPki.write(dir, "apiclient_cert.pem",
        TestPki.pem(TestPki.selfSigned(merchant, new BigInteger(SERIAL.toLowerCase(), 16), "m")));
    MerchantCredentials credentials = MerchantCredentials.fromFiles("1900000001", key, cert);
    assertEquals(SERIAL, credentials.certificateSerial());
    assertEquals("1900000001", credentials.mchid());

    Path otherCert = TestPki.write(dir, "other_cert.pem",
        TestPki.pem(TestPki.selfSigned(TestPki.otherKey(), BigInteger.TWO, "other")));
    KeyLoadingException e = assertThrows(KeyLoadingException.class,
        () -> MerchantCredentials.fromFiles("1900000001", key, otherCert));
    assertTrue(e.getMessage().contains("does not belong to the certificate"), e.getMessage());
  }

  @Test
  void credentialsValidateMchidAndSerialAndHideTheKey() {
    KeyPair merchant = TestPki.merchantKey();
    KeyLoadingException mchid = assertThrows(KeyLoadingException.class,
        () -> MerchantCredentials.of("19000x", SERIAL, merchant.getPrivate()));
    assertTrue(mchid.getMessage().startsWith("mchid must be the merchant id in digits"));
    KeyLoadingException serial = assertThrows(KeyLoadingException.class,
        () -> MerchantCredentials.of("1900000001", "not hex", merchant.getPrivate()));
    assertTrue(serial.getMessage().contains("serial must be hex"), serial.getMessage());

    MerchantCredentials credentials =
        MerchantCredentials.of("1900000001", SERIAL.toLowerCase(), merchant.getPrivate());
    assertEquals(SERIAL, credentials.certificateSerial());
    String text = credentials.toString();
    assertTrue(text.contains("(hidden)"), text);
    assertFalse(text.contains(((java.security.interfaces.RSAPrivateKey) merchant.getPrivate())
        .getPrivateExponent().toString(16).substring(0, 16)), text);
  }

  @Test
  void keySetHoldsPublicKeyIdsAndCertificateSerials() {
    X509Certificate platform = TestPki.selfSigned(TestPki.otherKey(), new BigInteger(SERIAL, 16),
        "platform");
    WechatPayKeySet set = WechatPayKeySet.builder()
        .platformCertificate(platform)
        .publicKey("PUB_KEY_ID_0114232134912410000000000000", TestPki.wechatpayKey().getPublic())
        .build();
    assertEquals(WechatPayKeySet.Kind.PLATFORM_CERTIFICATE, set.find(SERIAL).get().kind());
    assertEquals(WechatPayKeySet.Kind.PUBLIC_KEY,
        set.find("PUB_KEY_ID_0114232134912410000000000000").get().kind());
    assertEquals("PUB_KEY_ID_0114232134912410000000000000", set.preferredSerial());
    assertFalse(set.find("UNKNOWN").isPresent());
    assertThrows(UnsupportedOperationException.class, () -> set.keys().clear());

    KeyLoadingException badId = assertThrows(KeyLoadingException.class,
        () -> WechatPayKeySet.builder().publicKey("0114232", TestPki.wechatpayKey().getPublic()));
    assertTrue(badId.getMessage().contains("does not have the form PUB_KEY_ID_"), badId.getMessage());
    KeyLoadingException empty = assertThrows(KeyLoadingException.class,
        () -> WechatPayKeySet.builder().build());
    assertTrue(empty.getMessage().startsWith("The WeChat Pay key set is empty"));
    KeyLoadingException twice = assertThrows(KeyLoadingException.class,
        () -> WechatPayKeySet.builder().platformCertificate(platform).platformCertificate(platform));
    assertTrue(twice.getMessage().contains("each id or serial may be added once"));
  }
}
