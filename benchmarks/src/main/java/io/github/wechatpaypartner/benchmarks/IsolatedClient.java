package io.github.wechatpaypartner.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.util.ArrayList;
import java.util.List;

/**
 * Another build of our client in this JVM (the "before" baseline, {@code run.sh before}):
 * {@link BeforeClient} (compiled against that build), its jars and these benchmark classes in a
 * child-first class loader, so its generated classes, which have the same names as the current
 * build's, cannot meet them. Only the JDK, ACCP (one native library per JVM) and the harness types
 * the two sides exchange come from this JVM's class path.
 */
public final class IsolatedClient {
  /** Listing of the baseline's jars, written by {@code run.sh before}. */
  static final String BEFORE_CLASSPATH = "ours-before.txt";
  /** {@link BeforeClient}, compiled by {@code run.sh before} into target/before/classes. */
  static final String BEFORE_CLIENT = "io.github.wechatpaypartner.benchmarks.BeforeClient";
  private static final String[] SHARED = {"java.", "javax.", "jdk.", "sun.", "com.sun.", "com.amazon.corretto.",
      RoundTrip.class.getName(), TestKeys.class.getName(), SpecFixtures.class.getName()};

  private IsolatedClient() {
  }

  /** The build's target/classpath directory ({@code -Dbenchmarks.classpaths}, default from the repository root). */
  static Path classpaths() {
    return Path.of(System.getProperty("benchmarks.classpaths", "benchmarks/target/classpath"));
  }

  /** The baseline's {@code BeforeClient.call(TestKeys, Provider, String, SpecFixtures.Operation)}. */
  public static RoundTrip call(TestKeys keys, Provider provider, String baseUri, SpecFixtures.Operation op)
      throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : beforeClasspath(classpaths()).split(File.pathSeparator)) {
      urls.add(url(entry));
    }
    ClassLoader loader = new ChildFirst(urls.toArray(new URL[0]), IsolatedClient.class.getClassLoader());
    Class<?> ours = Class.forName(BEFORE_CLIENT, true, loader);
    return (RoundTrip) ours.getMethod("call", TestKeys.class, Provider.class, String.class, SpecFixtures.Operation.class)
        .invoke(null, keys, provider, baseUri, op);
  }

  /**
   * The baseline's class path: target/before/classes ({@link BeforeClient}), target/classes (the
   * harness) and the baseline's jars.
   */
  static String beforeClasspath(Path classpaths) throws IOException {
    Path listing = classpaths.resolve(BEFORE_CLASSPATH);
    Path target = classpaths.toAbsolutePath().getParent();
    if (!Files.isRegularFile(listing) || !Files.isDirectory(target.resolve("before/classes"))) {
      throw new IllegalStateException(listing + " or target/before/classes is missing: build the baseline with"
          + " benchmarks/run.sh before");
    }
    return target.resolve("before/classes") + File.pathSeparator + target.resolve("classes")
        + File.pathSeparator + Files.readString(listing).trim();
  }

  private static URL url(String jar) {
    try {
      return Path.of(jar).toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(jar, e);
    }
  }

  /** Looks in its own jars first, except for the shared names. */
  private static final class ChildFirst extends URLClassLoader {
    ChildFirst(URL[] urls, ClassLoader parent) {
      super("ours-before", urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      for (String shared : SHARED) {
        if (name.startsWith(shared)) {
          return super.loadClass(name, resolve);
        }
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> type = findLoadedClass(name);
        if (type == null) {
          try {
            type = findClass(name);
          } catch (ClassNotFoundException notHere) {
            return super.loadClass(name, resolve);
          }
        }
        if (resolve) {
          resolveClass(type);
        }
        return type;
      }
    }

    @Override
    public URL getResource(String name) {
      URL own = findResource(name);
      return own != null ? own : super.getResource(name);
    }
  }
}
