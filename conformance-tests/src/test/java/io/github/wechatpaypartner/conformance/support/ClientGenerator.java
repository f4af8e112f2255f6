package io.github.wechatpaypartner.conformance.support;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import org.openapitools.codegen.DefaultGenerator;
import org.openapitools.codegen.config.CodegenConfigurator;
import org.openapitools.codegen.config.GlobalSettings;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The client build of {@code generated-client/pom.xml}, in-process, for another spec: the
 * generator with the very options of the pom's {@code openapi-generator-maven-plugin} execution
 * (read from the pom, so the drill cannot drift from the real build; an option it does not know
 * fails it), then javac on the generated sources and the module's hand-written ones, then a class
 * loader that takes those classes before the module's own. Everything goes under {@code target/}.
 */
public final class ClientGenerator {
  private final Path moduleDir;
  private final Path workDir;

  /**
   * @param moduleDir {@code generated-client/}
   * @param workDir where the generated sources and the classes go
   */
  public ClientGenerator(Path moduleDir, Path workDir) {
    this.moduleDir = moduleDir;
    this.workDir = workDir;
  }

  /** Generates the sources for {@code spec}; returns their {@code src/main/java}. */
  public Path generate(Path spec) throws Exception {
    Path out = workDir.resolve("generated");
    delete(out);
    Element config = pluginConfiguration();
    String configurationFile = text(config, "configurationFile");
    CodegenConfigurator c = configurationFile == null ? new CodegenConfigurator()
        : CodegenConfigurator.fromFile(resolve(configurationFile));
    c.setInputSpec(spec.toString()).setOutputDir(out.toString());
    for (Element option : children(config)) {
      String name = option.getTagName();
      String value = resolve(option.getTextContent().trim());
      switch (name) {
        case "inputSpec": case "output": case "configurationFile": case "cleanupOutput": case "quiet":
          break; // ours (the scratch spec, the drill's folder), read above, or about console output
        case "generatorName": c.setGeneratorName(value); break;
        case "library": c.setLibrary(value); break;
        case "templateDirectory": c.setTemplateDir(value); break;
        case "skipValidateSpec": c.setValidateSpec(!Boolean.parseBoolean(value)); break;
        case "invokerPackage": c.setInvokerPackage(value); break;
        case "apiPackage": c.setApiPackage(value); break;
        case "modelPackage": c.setModelPackage(value); break;
        case "generateApiTests": c.addGlobalProperty("apiTests", value); break;
        case "generateModelTests": c.addGlobalProperty("modelTests", value); break;
        case "generateApiDocumentation": c.addGlobalProperty("apiDocs", value); break;
        case "generateModelDocumentation": c.addGlobalProperty("modelDocs", value); break;
        case "generateSupportingFiles": break; // with supportingFilesToGenerate
        case "supportingFilesToGenerate":
          c.addGlobalProperty("apis", "").addGlobalProperty("models", "").addGlobalProperty("supportingFiles", value);
          break;
        case "additionalProperties":
          for (Element p : children(option)) {
            String[] kv = p.getTextContent().trim().split("=", 2);
            c.addAdditionalProperty(kv[0], "specSha256".equals(kv[0]) ? sha256(spec) : resolve(kv[1]));
          }
          break;
        case "configOptions":
          children(option).forEach(o -> c.addAdditionalProperty(o.getTagName(), o.getTextContent().trim()));
          break;
        default:
          throw new IllegalStateException("generated-client/pom.xml sets <" + name + "> on the generator, which "
              + ClientGenerator.class.getSimpleName() + " does not pass on yet: add it there");
      }
    }
    try {
      new DefaultGenerator().opts(c.toClientOptInput()).generate();
    } finally {
      GlobalSettings.reset();
    }
    return out.resolve("src/main/java");
  }

  /**
   * Compiles the generated sources with the module's hand-written ones against the test class
   * path minus the module's own client; returns the classes folder. Fails with javac's messages.
   */
  public Path compile(Path generatedSources) throws IOException {
    Path classes = workDir.resolve("classes");
    delete(classes);
    Files.createDirectories(classes);
    List<File> sources;
    try (Stream<Path> a = Files.walk(generatedSources); Stream<Path> b = Files.walk(moduleDir.resolve("src/main/java"))) {
      sources = Stream.concat(a, b).filter(p -> p.toString().endsWith(".java")).map(Path::toFile).collect(Collectors.toList());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter messages = new StringWriter();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
      List<String> options = List.of("-d", classes.toString(), "-classpath", String.join(File.pathSeparator, classPath()),
          "-proc:none", "-nowarn", "-Xlint:none", "-encoding", "UTF-8");
      boolean ok = javac.getTask(messages, files, null, options, null, files.getJavaFileObjectsFromFiles(sources)).call();
      if (!ok) {
        throw new IllegalStateException("javac refused the client generated from the grown spec:\n" + messages);
      }
    }
    return classes;
  }

  /** Loads {@code classes} first, everything else (core, signing, Jackson, the sandbox) from the test's loader. */
  public static URLClassLoader loader(Path classes) throws MalformedURLException {
    return new URLClassLoader(new URL[] {classes.toUri().toURL()}, ClientGenerator.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
          Class<?> c = findLoadedClass(name);
          if (c == null) {
            try {
              c = findClass(name);
            } catch (ClassNotFoundException notGenerated) {
              return super.loadClass(name, resolve);
            }
          }
          if (resolve) {
            resolveClass(c);
          }
          return c;
        }
      }
    };
  }

  /** The test class path without the module's client (its classes or jar), which the new one replaces. */
  private List<String> classPath() {
    String all = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String own = moduleDir.toAbsolutePath().normalize().resolve("target").toString();
    return Arrays.stream(all.split(File.pathSeparator))
        .filter(e -> !Path.of(e).toAbsolutePath().normalize().startsWith(own))
        .filter(e -> !Path.of(e).getFileName().toString().startsWith("wechatpay-partner-client-"))
        .collect(Collectors.toList());
  }

  private Element pluginConfiguration() throws Exception {
    org.w3c.dom.Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(moduleDir.resolve("pom.xml").toFile());
    var plugins = pom.getElementsByTagName("plugin");
    for (int i = 0; i < plugins.getLength(); i++) {
      Element plugin = (Element) plugins.item(i);
      if ("openapi-generator-maven-plugin".equals(text(plugin, "artifactId"))) {
        return (Element) plugin.getElementsByTagName("configuration").item(0);
      }
    }
    throw new IllegalStateException("no openapi-generator-maven-plugin in " + moduleDir.resolve("pom.xml"));
  }

  /** The pom's {@code ${project.basedir}} and {@code ${generated.dir}}; other values as written. */
  private String resolve(String value) {
    return value.replace("${project.basedir}", moduleDir.toString())
        .replace("${generated.dir}", workDir.resolve("generated").toString());
  }

  private static String text(Element parent, String child) {
    for (Element e : children(parent)) {
      if (e.getTagName().equals(child)) {
        return e.getTextContent().trim();
      }
    }
    return null;
  }

  private static List<Element> children(Element parent) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element) {
        out.add((Element) n);
      }
    }
    return out;
  }

  private static String sha256(Path file) throws IOException {
    try {
      StringBuilder hex = new StringBuilder();
      for (byte b : MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))) {
        hex.append(String.format("%02x", b));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(p);
      }
    }
  }
}
