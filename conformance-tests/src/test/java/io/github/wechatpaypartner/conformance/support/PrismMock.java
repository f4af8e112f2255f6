package io.github.wechatpaypartner.conformance.support;

import java.time.Duration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests a running Prism mock of the spec ({@code @ExtendWith(PrismMock.class)}
 * and a {@link PrismProcess} parameter). One Prism serves the whole run: it is kept in the root
 * context's store, which closes it (process tree stopped by PID) when the run ends, failed tests
 * included; {@link PrismProcess} also registers a JVM shutdown hook as a last resort.
 */
public final class PrismMock implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PrismMock.class);
  /** Generous: Prism starts in about two seconds, but the machine is shared. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PrismProcess.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return prism(context);
  }

  /** The run's Prism, started on first use. */
  public static PrismProcess prism(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(PrismProcess.class,
        key -> PrismProcess.start(ModulePaths.spec(), ModulePaths.targetFile("prism.log"), START_TIMEOUT),
        PrismProcess.class);
  }
}
