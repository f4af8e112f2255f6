package io.github.wechatpaypartner.client.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place of the start-up work that runs off the calling thread, each kept because the
 * benchmarks' cold start shows it pays (see {@code benchmarks/README.md}): the default HTTP client
 * and its TLS context are built in the background ({@link JdkHttpTransport}); the JSON reader of
 * each answer type is built while its first request is in flight (here); the signing module warms
 * its first RSA signature and probes a faster JCA provider the same way.
 */
public final class StartupTuning {
  private StartupTuning() {
  }

  /** Runs {@code work} on a new daemon thread named {@code name}; its failure is left to the real use. */
  public static void inBackground(String name, Runnable work) {
    Thread thread = new Thread(() -> {
      try {
        work.run();
      } catch (RuntimeException | Error ignored) {
        // Only ahead of time: the real use reports any real problem.
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The first call of each answer type builds Jackson's reader of that type on a daemon thread,
   * while the request is signed and sent: building it (introspecting the model and its nested
   * models) takes tens of milliseconds the first time, which would otherwise follow the answer's
   * arrival. The mapper caches what it builds; later calls find it there. One per mapper.
   */
  static final class AnswerReaders {
    private final ObjectMapper mapper;
    private final Set<Class<?>> seen = ConcurrentHashMap.newKeySet();

    AnswerReaders(ObjectMapper mapper) {
      this.mapper = mapper;
    }

    ObjectMapper mapper() {
      return mapper;
    }

    void buildAhead(Class<?> answerType) {
      if (answerType != Void.class && seen.add(answerType)) {
        inBackground("wechatpay-json-reader", () -> mapper.readerFor(answerType));
      }
    }
  }
}
