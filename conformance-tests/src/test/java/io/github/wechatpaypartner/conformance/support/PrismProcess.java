package io.github.wechatpaypartner.conformance.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One running {@code prism mock --errors} on a free loopback port. Prism 5 binds port 0 itself and
 * prints the bound port ("Prism is listening on http://127.0.0.1:NNNN"), which is read here, so no
 * port is guessed. Its output goes to a log file through a drain thread (a full pipe would block
 * it). {@link #close()} ends the process and its descendants by PID; a JVM shutdown hook does the
 * same if the JVM exits without closing.
 */
public final class PrismProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("listening on (http://127\\.0\\.0\\.1:(\\d+))");
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final Process process;
  private final URI baseUri;
  private final Path spec;
  private final Path log;
  private final Thread shutdownHook;
  private boolean closed;

  private PrismProcess(Process process, URI baseUri, Path spec, Path log) {
    this.process = process;
    this.baseUri = baseUri;
    this.spec = spec;
    this.log = log;
    this.shutdownHook = new Thread(this::stopProcessTree, "prism-shutdown-" + process.pid());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts Prism on {@code spec} and waits (up to {@code startTimeout}) until it listens. */
  public static PrismProcess start(Path spec, Path log, Duration startTimeout) {
    List<String> command = new ArrayList<>();
    command.add(ModulePaths.prismExecutable().toString());
    command.add("mock");
    command.add("-h");
    command.add("127.0.0.1");
    command.add("-p");
    command.add("0");
    command.add("--errors");
    command.add(spec.toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("SCARF_ANALYTICS", "false");
    // Plain text output: no colour codes around the line we parse.
    builder.environment().put("NO_COLOR", "1");
    builder.environment().put("FORCE_COLOR", "0");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + command, e);
    }
    CompletableFuture<URI> listening = new CompletableFuture<>();
    Thread drain = new Thread(() -> drain(process, log, listening), "prism-log-" + process.pid());
    drain.setDaemon(true);
    drain.start();
    PrismProcess prism;
    try {
      URI uri = listening.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
      prism = new PrismProcess(process, uri, spec, log);
    } catch (TimeoutException | ExecutionException | InterruptedException e) {
      stopTree(process);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("Prism did not start within " + startTimeout + " on " + spec
          + "; its output:\n" + readLog(log), e instanceof ExecutionException ? e.getCause() : e);
    }
    return prism;
  }

  private static void drain(Process process, Path log, CompletableFuture<URI> listening) {
    try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        out.write(line);
        out.write('\n');
        out.flush();
        if (!listening.isDone()) {
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            listening.complete(URI.create(m.group(1)));
          }
        }
      }
      listening.completeExceptionally(
          new IllegalStateException("Prism exited before listening (exit " + process.waitFor() + ")"));
    } catch (IOException | InterruptedException e) {
      listening.completeExceptionally(e);
    }
  }

  /** {@code http://127.0.0.1:PORT}, no trailing slash. */
  public URI baseUri() {
    return baseUri;
  }

  public Path spec() {
    return spec;
  }

  public Path log() {
    return log;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopProcessTree();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or about to: it finds the process gone.
    }
  }

  private void stopProcessTree() {
    stopTree(process);
  }

  /** destroy(), then destroyForcibly() after a grace period; the same for every descendant. */
  private static void stopTree(Process process) {
    List<ProcessHandle> descendants = new ArrayList<>();
    process.descendants().forEach(descendants::add);
    process.destroy();
    descendants.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle child : descendants) {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
  }

  private static String readLog(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public String toString() {
    return "Prism pid " + pid() + " on " + baseUri + " serving " + spec;
  }
}
