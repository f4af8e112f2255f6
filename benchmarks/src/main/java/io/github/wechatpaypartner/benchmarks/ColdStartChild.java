package io.github.wechatpaypartner.benchmarks;

import java.nio.file.Path;

/**
 * One fresh JVM of {@link ColdStart}: builds one client from the files of {@link KeyFiles}, makes
 * one verified call to the loopback server and prints when each step ended (epoch milliseconds):
 * {@code COLDSTART main=... built=... prepared=... answered=...}. Its classpath holds only that
 * client's jars and these benchmark classes, of which it loads only its own subject's.
 *
 * <p>{@code ColdStartChild ours|official|before DIR BASE_URI [HOLD_CALLS]}: with HOLD_CALLS, it then makes
 * that many more calls, collects garbage, prints {@code READY} and waits for its standard input to
 * close, so that {@link ColdStart} can measure its memory.
 */
public final class ColdStartChild {
  private ColdStartChild() {
  }

  /** What a child starts: build the client, then ready its call. */
  interface Subject {
    void build(KeyFiles files, String baseUri) throws Exception;

    RoundTrip prepare(KeyFiles files) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    long main = System.currentTimeMillis();
    Subject subject;
    switch (args[0]) {
      case "official":
        subject = new OfficialClient.ColdStart();
        break;
      case "ours":
        subject = new OurClient.ColdStart();
        break;
      default: // "before": compiled by run.sh before against the baseline's jars, on this JVM's class path
        subject = (Subject) Class.forName(IsolatedClient.BEFORE_CLIENT + "$ColdStart").getDeclaredConstructor().newInstance();
    }
    KeyFiles files = new KeyFiles(Path.of(args[1]));
    subject.build(files, args[2]);
    long built = System.currentTimeMillis();
    RoundTrip call = subject.prepare(files);
    long prepared = System.currentTimeMillis();
    call.call();
    long answered = System.currentTimeMillis();
    System.out.println("COLDSTART main=" + main + " built=" + built + " prepared=" + prepared + " answered=" + answered);
    if (args.length > 3) {
      int calls = Integer.parseInt(args[3]);
      for (int i = 0; i < calls; i++) {
        call.call();
      }
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      System.out.println("READY");
      System.out.flush();
      while (System.in.read() >= 0) {
        // held until the parent has measured and closes our input
      }
    }
  }
}
