package io.github.wechatpaypartner.conformance.support;

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
}
