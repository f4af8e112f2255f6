package io.github.wechatpaypartner.client.runtime;

import io.github.wechatpaypartner.exception.WechatPayException;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the {@code ...Async} twins on the user's executor, or on a cached pool of daemon threads
 * made on first use (a client that never calls async starts no thread). Cancelling a returned
 * future interrupts its call, which then makes no further attempt.
 */
final class AsyncCalls {
  private final Executor given;
  private volatile Executor created;

  AsyncCalls(Executor given) {
    this.given = given;
  }

  Executor given() {
    return given;
  }

  <T> CompletableFuture<T> submit(String operationId, Callable<T> call) {
    CallFuture<T> future = new CallFuture<>(call);
    try {
      executor().execute(future.task);
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(new WechatPayException(operationId
          + ": the async executor refused the call; nothing sent", e, operationId));
    }
    return future;
  }

  private Executor executor() {
    if (given != null) {
      return given;
    }
    Executor e = created;
    if (e == null) {
      synchronized (this) {
        e = created;
        if (e == null) {
          AtomicInteger n = new AtomicInteger();
          e = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "wechatpay-async-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
          created = e;
        }
      }
    }
    return e;
  }

  /**
   * A future whose {@code cancel} interrupts the running call. The call runs as a
   * {@link FutureTask}, which interrupts only its own run, never whatever the pool thread does next.
   */
  private static final class CallFuture<T> extends CompletableFuture<T> {
    final FutureTask<T> task;

    CallFuture(Callable<T> call) {
      this.task = new FutureTask<>(call) {
        @Override
        protected void done() {
          if (isCancelled()) {
            CallFuture.this.completeExceptionally(new CancellationException("call cancelled"));
            return;
          }
          try {
            CallFuture.this.complete(get());
          } catch (ExecutionException e) {
            CallFuture.this.completeExceptionally(e.getCause());
          } catch (InterruptedException | CancellationException e) {
            CallFuture.this.completeExceptionally(e);
          }
        }
      };
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      task.cancel(true);
      return cancelled;
    }
  }
}
