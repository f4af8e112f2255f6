package io.github.wechatpaypartner.signing.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.wechatpaypartner.signing.TestPki;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

/** Which texts the JDK reads alone (one plain block of the type) and which go to Bouncy Castle. */
class PemObjectsTest {
  private final KeyPair keys = TestPki.merchantKey();
  private final String pkcs8 = TestPki.pkcs8Pem(keys.getPrivate());

  @Test
  void onePlainBlockOfTheTypeIsDecodedWhateverSurroundsIt() {
    byte[] der = keys.getPrivate().getEncoded();
    assertArrayEquals(der, PemObjects.singleBlock(pkcs8, "PRIVATE KEY"));
    assertArrayEquals(der, PemObjects.singleBlock(pkcs8.replace("\n", "\r\n"), "PRIVATE KEY"));
    assertArrayEquals(der, PemObjects.singleBlock("Bag Attributes\n" + pkcs8 + "\ntrailing\n", "PRIVATE KEY"));
  }

  @Test
  void everyOtherTextIsLeftToBouncyCastle() {
    assertNull(PemObjects.singleBlock(pkcs8, "PUBLIC KEY"));
    assertNull(PemObjects.singleBlock(TestPki.pem(keys.getPrivate()), "PRIVATE KEY")); // PKCS#1
    assertNull(PemObjects.singleBlock(pkcs8 + pkcs8, "PRIVATE KEY"));
    assertNull(PemObjects.singleBlock(TestPki.pem(keys.getPublic()) + pkcs8, "PRIVATE KEY"));
    assertNull(PemObjects.singleBlock(pkcs8.replace("-----\n", "-----\nProc-Type: 4,ENCRYPTED\n\n"),
        "PRIVATE KEY"));
    assertNull(PemObjects.singleBlock("-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n",
        "PRIVATE KEY"));
    assertNull(PemObjects.singleBlock("x" + pkcs8, "PRIVATE KEY")); // BEGIN not at a line start
    assertNull(PemObjects.singleBlock(pkcs8.substring(0, pkcs8.indexOf("-----END")), "PRIVATE KEY"));
    assertNull(PemObjects.singleBlock(null, "PRIVATE KEY"));
  }
}
