package io.github.wechatpaypartner.benchmarks;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.util.ArrayList;
import java.util.List;

/**
 * Another build of our client in this JVM (the "before" baseline, {@code run.sh before}): its jars
 * and these benchmark classes in a child-first class loader, so its generated classes, which have
 * the same names as the current build's, cannot meet them. Only the JDK, ACCP (one native library
 * per JVM) and the harness types the two sides exchange come from this JVM's class path.
 */
public final class IsolatedClient {
  /** Listing of the baseline's jars, written by {@code run.sh before}. */
  static final String BEFORE_CLASSPATH = "ours-before.txt";
  private static final String[] SHARED = {"java.", "javax.", "jdk.", "sun.", "com.sun.", "com.amazon.corretto.",
      RoundTrip.class.getName(), TestKeys.class.getName(), SpecFixtures.class.getName()};

  private IsolatedClient() {
  }

  /** The build's target/classpath directory ({@code -Dbenchmarks.classpaths}, default from the repository root). */
  static Path classpaths() {
    return Path.of(System.getProperty("benchmarks.classpaths", "benchmarks/target/classpath"));
  }

  /** {@link OurClient#call(TestKeys, Provider, String, SpecFixtures.Operation)} of the baseline build. */
  public static RoundTrip call(TestKeys keys, Provider provider, String baseUri, SpecFixtures.Operation op)
      throws Exception {
    Path listing = classpaths().resolve(BEFORE_CLASSPATH);
    if (!Files.isRegularFile(listing)) {
      throw new IllegalStateException(listing + " is missing: build the baseline with benchmarks/run.sh before");
    }
    List<URL> urls = new ArrayList<>();
    urls.add(classpaths().toAbsolutePath().getParent().resolve("classes").toUri().toURL());
    for (String jar : Files.readString(listing).trim().split(File.pathSeparator)) {
      urls.add(url(jar));
    }
    ClassLoader loader = new ChildFirst(urls.toArray(new URL[0]), IsolatedClient.class.getClassLoader());
    Class<?> ours = Class.forName(OurClient.class.getName(), true, loader);
    return (RoundTrip) ours.getMethod("call", TestKeys.class, Provider.class, String.class, SpecFixtures.Operation.class)
        .invoke(null, keys, provider, baseUri, op);
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
