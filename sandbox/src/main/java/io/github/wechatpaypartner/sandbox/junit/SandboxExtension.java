package io.github.wechatpaypartner.sandbox.junit;

import io.github.wechatpaypartner.WechatPayClient;
import io.github.wechatpaypartner.sandbox.Sandbox;
import io.github.wechatpaypartner.sandbox.SandboxSettings;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 (5.13 or later) extension giving tests a running sandbox: parameters of type
 * {@link Sandbox} (the handle) and {@link WechatPayClient} (aimed at it, full verification) are
 * injected. One sandbox per test class by default ({@code @ExtendWith(SandboxExtension.class)}),
 * or one per run ({@link #perRun()}); JUnit closes it when the class (or run) ends, failed tests
 * included. After each test the armed faults are disarmed; state and records stay until
 * {@link Sandbox#reset()}. When the class ends, an answer or notification of the sandbox that broke
 * the spec's schemas fails the class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SandboxExtension SANDBOX = SandboxExtension.perClass()
 *     .settings(s -> s.timeScale(600))
 *     .client(c -> c.noRetries());
 * }</pre>
 */
public final class SandboxExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback,
    ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SandboxExtension.class);
  private static final String OFF_SPEC_MARK = "off-spec answers before this class";
  /** Notifications resent every 100 ms instead of 60 s: tests do not wait for the real schedule. */
  public static final double DEFAULT_TIME_SCALE = 600;

  private final boolean perRun;
  private Consumer<SandboxSettings.Builder> settings = s -> { };
  private Consumer<WechatPayClient.Builder> client = c -> { };

  /** One sandbox per test class, default settings; what {@code @ExtendWith(SandboxExtension.class)} gives. */
  public SandboxExtension() {
    this(false);
  }

  private SandboxExtension(boolean perRun) {
    this.perRun = perRun;
  }

  public static SandboxExtension perClass() {
    return new SandboxExtension(false);
  }

  /** One sandbox for every class of the run that uses this: the first class's settings apply. */
  public static SandboxExtension perRun() {
    return new SandboxExtension(true);
  }

  /** Changes the sandbox's settings (applied after the extension's own: time scale {@value #DEFAULT_TIME_SCALE}). */
  public SandboxExtension settings(Consumer<SandboxSettings.Builder> customizer) {
    this.settings = Objects.requireNonNull(customizer, "customizer");
    return this;
  }

  /** Changes the injected client's builder (retry policy, timeouts, headers...). */
  public SandboxExtension client(Consumer<WechatPayClient.Builder> customizer) {
    this.client = Objects.requireNonNull(customizer, "customizer");
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NAMESPACE).put(OFF_SPEC_MARK, running(context).sandbox.offSpec().size());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    running(context).sandbox.disarmAll();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<String> offSpec = running(context).sandbox.offSpec();
    Integer mark = context.getStore(NAMESPACE).get(OFF_SPEC_MARK, Integer.class);
    List<String> mine = offSpec.subList(mark == null ? 0 : Math.min(mark, offSpec.size()), offSpec.size());
    if (!mine.isEmpty()) {
      throw new AssertionError("the sandbox sent " + mine.size() + " answer(s) or notification(s) that break the spec:\n"
          + String.join("\n", mine));
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Sandbox.class || type == WechatPayClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Running running = running(context);
    return parameter.getParameter().getType() == Sandbox.class ? running.sandbox : running.client();
  }

  /** The sandbox of this class (or run), started on first use. */
  private Running running(ExtensionContext context) {
    ExtensionContext owner = perRun ? context.getRoot() : classContext(context);
    return owner.getStore(NAMESPACE).getOrComputeIfAbsent(Running.class, k -> new Running(start()), Running.class);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  private Sandbox start() {
    SandboxSettings.Builder builder = SandboxSettings.builder().timeScale(DEFAULT_TIME_SCALE);
    settings.accept(builder);
    return Sandbox.start(builder.build());
  }

  /** A started sandbox and its client; JUnit closes it (AutoCloseable in the store) when its context ends. */
  private final class Running implements AutoCloseable {
    final Sandbox sandbox;
    private WechatPayClient wechatPayClient;

    Running(Sandbox sandbox) {
      this.sandbox = sandbox;
    }

    synchronized WechatPayClient client() {
      if (wechatPayClient == null) {
        WechatPayClient.Builder builder = SandboxClient.builder(sandbox);
        client.accept(builder);
        wechatPayClient = builder.build();
      }
      return wechatPayClient;
    }

    @Override
    public void close() {
      sandbox.close();
    }
  }
}
