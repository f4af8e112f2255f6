package io.github.wechatpaypartner.signing.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wechatpaypartner.exception.KeyLoadingException;
import io.github.wechatpaypartner.signing.TestPki;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateKeyLoaderTest {
  private static final char[] PASSWORD = "test-password".toCharArray();

  @TempDir Path dir;

  private final KeyPair keys = TestPki.merchantKey();

  @Test
  void loadsPkcs8FromFileAndText() throws Exception {
    String pem = TestPki.pkcs8Pem(keys.getPrivate());
    assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----"));
    Path file = TestPki.write(dir, "apiclient_key.pem", pem);

    assertSameKey(PrivateKeyLoader.fromFile(file));
    assertSameKey(PrivateKeyLoader.fromPem(pem));
  }

  @Test
  void loadsPkcs1() {
    String pem = TestPki.pem(keys.getPrivate());
    assertTrue(pem.startsWith("-----BEGIN RSA PRIVATE KEY-----"), pem.substring(0, 40));
    assertSameKey(PrivateKeyLoader.fromPem(pem));
  }

  @Test
  void loadsPkcs8WithUtf8BomAndCrLf() throws Exception {
    String pem = "\uFEFF" + TestPki.pkcs8Pem(keys.getPrivate()).replace("\n", "\r\n");
    Path file = dir.resolve("bom.pem");
    Files.write(file, pem.getBytes(StandardCharsets.UTF_8));
    assertSameKey(PrivateKeyLoader.fromFile(file));
  }

  @Test
  void loadsEncryptedPkcs8MadeByOpenssl() throws Exception {
    TestPki.write(dir, "plain.pem", TestPki.pkcs8Pem(keys.getPrivate()));
    TestPki.openssl(dir, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "plain.pem",
        "-out", "encrypted.pem", "-passout", "pass:test-password");
    Path encrypted = dir.resolve("encrypted.pem");
    assertTrue(Files.readString(encrypted).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));

    assertSameKey(PrivateKeyLoader.fromFile(encrypted, PASSWORD));
  }

  @Test
  void loadsLegacyEncryptedPkcs1() throws Exception {
    String pem = legacyEncrypted(keys.getPrivate());
    assertTrue(pem.contains("Proc-Type: 4,ENCRYPTED"));
    assertSameKey(PrivateKeyLoader.fromPem(pem, PASSWORD));
  }

  @Test
  void acceptsAPrivateKeyObjectOfRsa2048() {
    assertEquals(keys.getPrivate(), PrivateKeyLoader.of(keys.getPrivate()));
  }

  @Test
  void certificatePassedAsKeyIsNamed() {
    String cert = TestPki.pem(TestPki.selfSigned(keys, BigInteger.TEN, "merchant"));
    KeyLoadingException e = assertThrows(KeyLoadingException.class,
        () -> PrivateKeyLoader.fromPem(cert));
    assertTrue(e.getMessage().contains("holds a certificate (BEGIN CERTIFICATE)"), e.getMessage());
    assertTrue(e.getMessage().contains("expected an RSA private key (BEGIN PRIVATE KEY or BEGIN"
        + " RSA PRIVATE KEY)"), e.getMessage());
    assertTrue(e.getMessage().contains("apiclient_key.pem, not apiclient_cert.pem"), e.getMessage());
  }

  @Test
  void publicKeyPassedAsPrivateKeyIsNamed() {
    KeyLoadingException e = assertThrows(KeyLoadingException.class,
        () -> PrivateKeyLoader.fromPem(TestPki.pem(keys.getPublic())));
    assertTrue(e.getMessage().contains("holds an RSA public key (BEGIN PUBLIC KEY)"), e.getMessage());
  }

  @Test
  void ecKeyIsRejectedInBothEncodings() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    PrivateKey key = ec.generateKeyPair().getPrivate();

    KeyLoadingException pkcs8 = assertThrows(KeyLoadingException.class,
        () -> PrivateKeyLoader.fromPem(TestPki.pkcs8Pem(key)));
    assertTrue(pkcs8.getMessage().contains("holds an EC private key"), pkcs8.getMessage());
    assertTrue(pkcs8.getMessage().contains("expected an RSA private key"), pkcs8.getMessage());

    String sec1 = TestPki.pem(key);
    assertTrue(sec1.startsWith("-----BEGIN EC PRIVATE KEY-----"));
    KeyLoadingException legacy = assertThrows(KeyLoadingException.class,
        () -> PrivateKeyLoader.fromPem(sec1));
    assertTrue(legacy.getMessage().contains("holds an EC private key"), legacy.getMessage());

    KeyLoadingException object = assertThrows(KeyLoadingException.class,
        () -> PrivateKeyLoader.of(key));
    assertTrue(object.getMessage().contains("is EC"), object.getMessage());
  }

  @Test
  void encryptedKeyWithoutPasswordIsNamed() throws Exception {
    TestPki.write(dir, "plain.pem", TestPki.pkcs8Pem(keys.getPrivate()));
    TestPki.openssl(dir, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "plain.pem",
        "-out", "encrypted.pem", "-passout", "pass:test-password");
    KeyLoadingException e = assertThrows(KeyLoadingException.class,
        () -> PrivateKeyLoader.fromFile(dir.resolve("encrypted.pem")));
    assertTrue(e.getMessage().contains("an encrypted private key (BEGIN ENCRYPTED PRIVATE KEY)"
        + " but no password was given"), e.getMessage());
    assertTrue(e.getMessage().contains("encrypted.pem"), e.getMessage());

    KeyLoadingException legacy = assertThrows(KeyLoadingException.class,
        () -> PrivateKeyLoader.fromPem(legacyEncrypted(keys.getPrivate())));
    assertTrue(legacy.getMessage().contains("(Proc-Type: 4,ENCRYPTED) but no password was given"),
        legacy.getMessage());
  }

  @Test
  void wrongPasswordIsNamed() throws Exception {
    TestPki.write(dir, "plain.pem", TestPki.pkcs8Pem(keys.getPrivate()));
    TestPki.openssl(dir, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "plain.pem",
        "-out", "encrypted.pem", "-passout", "pass:test-password");
    KeyLoadingException e = assertThrows(KeyLoadingException.class,
        () -> PrivateKeyLoader.fromFile(dir.resolve("encrypted.pem"), "not-it".toCharArray()));
    assertTrue(e.getMessage().contains("could not be decrypted: wrong password"), e.getMessage());
    assertFalse(e.getMessage().contains("not-it"), "password must not be echoed");

    KeyLoadingException legacy = assertThrows(KeyLoadingException.class,
        () -> PrivateKeyLoader.fromPem(legacyEncrypted(keys.getPrivate()), "not-it".toCharArray()));
    assertTrue(legacy.getMessage().contains("could not be decrypted: wrong password"),
        legacy.getMessage());
  }

  @Test
  void emptyInputIsNamed() {
    KeyLoadingException e = assertThrows(KeyLoadingException.class,
        () -> PrivateKeyLoader.fromPem("  \n"));
    assertEquals("The private key PEM text is empty; expected " + PrivateKeyLoader.EXPECTED,
        e.getMessage());
  }

  @Test
  void garbageIsNamed() throws Exception {
    KeyLoadingException text = assertThrows(KeyLoadingException.class,
        () -> PrivateKeyLoader.fromPem("this is not a key"));
    assertTrue(text.getMessage().contains("holds no PEM block"), text.getMessage());

    Path binary = dir.resolve("key.der");
    Files.write(binary, keys.getPrivate().getEncoded());
    KeyLoadingException der = assertThrows(KeyLoadingException.class,
        () -> PrivateKeyLoader.fromFile(binary));
    assertTrue(der.getMessage().contains("holds no PEM block"), der.getMessage());

    String broken = "-----BEGIN PRIVATE KEY-----\n!!!!not base64!!!!\n-----END PRIVATE KEY-----\n";
    KeyLoadingException corrupt = assertThrows(KeyLoadingException.class,
        () -> PrivateKeyLoader.fromPem(broken));
    assertTrue(corrupt.getMessage().contains("is not valid PEM"), corrupt.getMessage());
  }

  @Test
  void missingFileIsNamed() {
    Path missing = dir.resolve("nowhere.pem");
    KeyLoadingException e = assertThrows(KeyLoadingException.class,
        () -> PrivateKeyLoader.fromFile(missing));
    assertTrue(e.getMessage().startsWith("Cannot read file " + missing.toAbsolutePath()),
        e.getMessage());
  }

  @Test
  void rsaKeyUnder2048BitsIsRejected() {
    KeyPair small = TestPki.rsa(1024);
    KeyLoadingException e = assertThrows(KeyLoadingException.class,
        () -> PrivateKeyLoader.fromPem(TestPki.pkcs8Pem(small.getPrivate())));
    assertTrue(e.getMessage().contains("is an RSA key of 1024 bits; at least 2048 bits are"
        + " required"), e.getMessage());
  }

  @Test
  void messagesNeverContainKeyMaterial() {
    String pem = TestPki.pem(keys.getPrivate());
    String bodyLine = pem.split("\n")[3];
    KeyLoadingException e = assertThrows(KeyLoadingException.class,
        () -> PublicKeyLoader.fromPem(pem));
    assertFalse(e.getMessage().contains(bodyLine), e.getMessage());
    assertTrue(e.getMessage().contains("holds an RSA private key (BEGIN RSA PRIVATE KEY)"),
        e.getMessage());
  }

  private void assertSameKey(PrivateKey loaded) {
    assertTrue(loaded instanceof RSAPrivateKey);
    assertEquals(((RSAPrivateKey) keys.getPrivate()).getPrivateExponent(),
        ((RSAPrivateKey) loaded).getPrivateExponent());
    assertEquals(((RSAPrivateKey) keys.getPrivate()).getModulus(),
        ((RSAPrivateKey) loaded).getModulus());
  }

  private static String legacyEncrypted(PrivateKey key) throws java.io.IOException {
    return TestPki.pem(new JcaMiscPEMGenerator(key,
        new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(new BouncyCastleProvider())
            .build(PASSWORD)));
  }
}
