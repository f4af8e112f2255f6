package io.github.wechatpaypartner.client.runtime;

import java.io.IOException;
import java.util.List;

/** Runs a list of interceptors around a last step, each allowed to {@code proceed} once. */
final class Steps {
  /** The step after the last interceptor. */
  @FunctionalInterface
  interface Last {
    IncomingResponse run(OutgoingRequest request) throws IOException, InterruptedException;
  }

  private Steps() {
  }

  static IncomingResponse run(List<Interceptor> interceptors, OutgoingRequest request,
      CallContext context, Last last) throws IOException, InterruptedException {
    return new Link(interceptors, 0, request, context, last).next();
  }

  private static final class Link implements Interceptor.Chain {
    private final List<Interceptor> interceptors;
    private final int index;
    private final OutgoingRequest request;
    private final CallContext context;
    private final Last last;
    private boolean proceeded;

    Link(List<Interceptor> interceptors, int index, OutgoingRequest request, CallContext context, Last last) {
      this.interceptors = interceptors;
      this.index = index;
      this.request = request;
      this.context = context;
      this.last = last;
    }

    IncomingResponse next() throws IOException, InterruptedException {
      return index < interceptors.size() ? interceptors.get(index).intercept(this) : last.run(request);
    }

    @Override
    public OutgoingRequest request() {
      return request;
    }

    @Override
    public CallContext context() {
      return context;
    }

    @Override
    public IncomingResponse proceed(OutgoingRequest next) throws IOException, InterruptedException {
      if (proceeded) {
        throw new IllegalStateException(interceptors.get(index) + " called proceed twice in "
            + context + ": each step passes a request on once");
      }
      proceeded = true;
      return new Link(interceptors, index + 1, java.util.Objects.requireNonNull(next, "request"),
          context, last).next();
    }
  }
}
