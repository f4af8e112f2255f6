package io.github.wechatpaypartner.benchmarks;

/** The clients compared in the round trip: the official SDK, and ours with each provider. */
public final class Clients {
  public static final String OFFICIAL = "official";
  public static final String OURS_JDK = "ours-JDK";
  public static final String OURS_ACCP = "ours-ACCP";
  public static final String[] ALL = {OFFICIAL, OURS_JDK, OURS_ACCP};
  /** Ours as built at the baseline commit ({@code run.sh before}), in its own class loader. */
  public static final String BEFORE_JDK = "ours-before-JDK";
  public static final String BEFORE_ACCP = "ours-before-ACCP";

  private Clients() {
  }

  /** The call of one operation by the named client, trusting the test WeChat Pay key. */
  public static RoundTrip call(String client, TestKeys keys, String baseUri, SpecFixtures.Operation op)
      throws Exception {
    switch (client) {
      case OFFICIAL:
        return OfficialClient.call(OfficialClient.httpClient(keys), baseUri, op);
      case OURS_JDK:
        return OurClient.call(keys, Providers.jdk(), baseUri, op);
      case OURS_ACCP:
        return OurClient.call(keys, Providers.accp(), baseUri, op);
      case BEFORE_JDK:
        return IsolatedClient.call(keys, Providers.jdk(), baseUri, op);
      case BEFORE_ACCP:
        return IsolatedClient.call(keys, Providers.accp(), baseUri, op);
      default:
        throw new IllegalArgumentException("client must be one of official, ours-JDK, ours-ACCP, "
            + BEFORE_JDK + ", " + BEFORE_ACCP + ", not " + client);
    }
  }

  /**
   * Proves that a client really signs and verifies before it is measured: its requests carry a
   * valid Authorization, and an answer signed with a key it does not trust is rejected.
   */
  public static String selfCheck(String client, RoundTrip call, LoopbackServer server, TestKeys keys,
      String operationId) throws Exception {
    server.checkRequests(keys.merchant.getPublic());
    int accepted = server.acceptedRequests();
    try {
      call.call();
    } catch (Exception e) {
      throw new IllegalStateException(client + " " + operationId + ": a correctly signed answer failed"
          + " (server: " + server.lastRejection() + ")", e);
    } finally {
      server.checkRequests(null);
    }
    if (server.acceptedRequests() != accepted + 1) {
      throw new IllegalStateException(client + " " + operationId + ": the server did not accept the"
          + " request's signature: " + server.lastRejection());
    }
    server.signAnswersWith(keys.stranger.getPrivate());
    Exception rejection = null;
    try {
      call.call();
    } catch (Exception expected) {
      rejection = expected;
    } finally {
      server.signAnswersWith(keys.wechatPay.getPrivate());
    }
    if (rejection == null) {
      throw new IllegalStateException(client + " " + operationId
          + ": an answer signed with an untrusted key was accepted");
    }
    // Rejected, but for the right reason? Each SDK names its signature check in its exception.
    StringBuilder chain = new StringBuilder();
    for (Throwable t = rejection; t != null; t = t.getCause()) {
      chain.append(t.getClass().getName()).append(": ").append(t.getMessage()).append(" / ");
    }
    String text = chain.toString();
    if (!text.matches("(?s).*(signature|Signature).*")) {
      throw new IllegalStateException(client + " " + operationId + ": the wrong-key answer failed, but not"
          + " on its signature: " + text, rejection);
    }
    String first = rejection.getClass().getSimpleName() + ": " + rejection.getMessage();
    return first.length() > 160 ? first.substring(0, 160) + "..." : first;
  }
}
