package io.github.wechatpaypartner.benchmarks;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor: one SHA256withRSA sign of a typical request's five-line message plus one verify of
 * its answer's three-line message, with reused Signature objects and pre-encoded bytes, so
 * nothing but the two RSA operations (and SHA-256 over the messages) is measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FloorBenchmark {

  @Param({Providers.JDK, Providers.ACCP})
  public String provider;

  private Signature signer;
  private Signature verifier;
  private byte[] requestMessage;
  private byte[] responseMessage;
  private byte[] responseSignature;

  @Setup
  public void setUp() throws GeneralSecurityException {
    SpecFixtures.Operation typical = SpecFixtures.load().typical();
    TestKeys keys = TestKeys.generate();
    Provider p = Providers.byName(provider);
    long now = System.currentTimeMillis() / 1000;
    requestMessage = WireMessages.requestMessage("POST", typical.path, now, WireMessages.nonce(),
        typical.requestBytes());
    responseMessage = WireMessages.responseMessage(Long.toString(now), WireMessages.nonce(),
        typical.responseBytes());
    responseSignature = Base64.getDecoder().decode(
        WireMessages.signBase64(keys.wechatPay.getPrivate(), responseMessage));

    PrivateKey privateKey = Providers.adopt(p, keys.merchant.getPrivate());
    PublicKey publicKey = Providers.adopt(p, keys.wechatPay.getPublic());
    signer = Signature.getInstance("SHA256withRSA", p);
    signer.initSign(privateKey);
    verifier = Signature.getInstance("SHA256withRSA", p);
    verifier.initVerify(publicKey);

    // The floor must be a real verification: the right key accepts, a wrong key rejects.
    if (!verifyOnce()) {
      throw new IllegalStateException(provider + ": the answer's signature did not verify");
    }
    Signature wrong = Signature.getInstance("SHA256withRSA", p);
    wrong.initVerify(Providers.adopt(p, keys.stranger.getPublic()));
    wrong.update(responseMessage);
    if (wrong.verify(responseSignature)) {
      throw new IllegalStateException(provider + ": a wrong key verified the answer");
    }
  }

  private boolean verifyOnce() throws GeneralSecurityException {
    verifier.update(responseMessage);
    return verifier.verify(responseSignature);
  }

  @Benchmark
  public byte[] signAndVerify() throws GeneralSecurityException {
    signer.update(requestMessage);
    byte[] signature = signer.sign();
    if (!verifyOnce()) {
      throw new IllegalStateException("verification failed");
    }
    return signature;
  }
}
