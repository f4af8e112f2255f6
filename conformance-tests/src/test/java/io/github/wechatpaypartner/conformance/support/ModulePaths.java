package io.github.wechatpaypartner.conformance.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the module, its Prism install and the spec live on disk. */
public final class ModulePaths {
  private ModulePaths() {
  }

  /**
   * The conformance-tests folder: the {@code conformance.moduleDir} property set by Maven, else the
   * working directory (or its {@code conformance-tests} child when run from the repository root).
   */
  public static Path moduleDir() {
    String configured = System.getProperty("conformance.moduleDir");
    if (configured != null && !configured.isBlank()) {
      return Paths.get(configured).toAbsolutePath().normalize();
    }
    Path cwd = Paths.get("").toAbsolutePath();
    Path child = cwd.resolve("conformance-tests");
    return Files.isDirectory(child) ? child : cwd;
  }

  /**
   * The spec to test: {@code conformance.spec} if set; else the spec module's bundle
   * ({@code spec/target/bundle/openapi.yaml}, what consumers get) when it is at least as new as the source; else the source
   * {@code spec/openapi.yaml}. A stale bundle is ignored so a spec edit is never tested late.
   */
  public static Path spec() {
    String configured = System.getProperty("conformance.spec");
    if (configured != null && !configured.isBlank()) {
      return requireFile(Paths.get(configured).toAbsolutePath().normalize());
    }
    Path specDir = moduleDir().resolveSibling("spec");
    Path source = specDir.resolve("openapi.yaml");
    Path bundle = specDir.resolve("target").resolve("bundle").resolve("openapi.yaml");
    try {
      if (Files.isRegularFile(bundle)
          && (!Files.exists(source)
              || Files.getLastModifiedTime(bundle).compareTo(Files.getLastModifiedTime(source)) >= 0)) {
        return bundle;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return requireFile(source);
  }

  /** The Prism launcher installed by {@code npm ci} (run directly: an npx wrapper would orphan it). */
  public static Path prismExecutable() {
    Path prism = moduleDir().resolve("node_modules").resolve(".bin").resolve("prism");
    if (!Files.isExecutable(prism)) {
      throw new IllegalStateException("Prism is not installed at " + prism
          + ": run `npm ci` in " + moduleDir() + " (the Maven build does it unless -DskipTests)");
    }
    return prism;
  }

  /** A file under target/ for logs, its folder created. */
  public static Path targetFile(String name) {
    Path target = moduleDir().resolve("target");
    try {
      Files.createDirectories(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target.resolve(name);
  }

  private static Path requireFile(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("Spec not found: " + path);
    }
    return path;
  }
}
