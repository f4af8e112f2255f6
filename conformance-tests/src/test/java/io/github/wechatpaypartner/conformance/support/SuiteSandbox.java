package io.github.wechatpaypartner.conformance.support;

import io.github.wechatpaypartner.sandbox.SandboxKeys;
import io.github.wechatpaypartner.sandbox.SandboxSettings;
import io.github.wechatpaypartner.sandbox.junit.SandboxExtension;
import java.util.function.Consumer;

/** The sandbox of the suite's tests: the spec file Prism serves ({@link ModulePaths#spec()}), one sandbox per class. */
public final class SuiteSandbox {
  private SuiteSandbox() {
  }

  public static SandboxExtension perClass() {
    return perClass(s -> { });
  }

  /** With more settings on top of the suite's. */
  public static SandboxExtension perClass(Consumer<SandboxSettings.Builder> more) {
    return SandboxExtension.perClass().settings(s -> more.accept(s.spec(ModulePaths.spec())));
  }

  /**
   * For the suites that call every operation of the spec and expect each to succeed: the
   * switchover key mode, in which {@code downloadCertificates} lists certificates (in the default
   * public-key mode it answers its documented 404) and every other answer is still signed with the
   * public key the client names.
   */
  public static SandboxExtension everyOperation(Consumer<SandboxSettings.Builder> more) {
    return perClass(s -> more.accept(s.keyMode(SandboxKeys.Mode.BOTH)));
  }
}
