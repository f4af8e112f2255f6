package io.github.wechatpaypartner.benchmarks;

/**
 * Correctness before measurement (run.sh runs it first): every benchmark's setup, which checks
 * that the right key verifies and a wrong key is rejected, then one measured call of each.
 * Exits non-zero on the first failure.
 */
public final class SmokeCheck {
  private SmokeCheck() {
  }

  public static void main(String[] args) throws Exception {
    System.out.println("spec: " + SpecFixtures.load().source());
    try {
      for (String provider : new String[] {Providers.JDK, Providers.ACCP}) {
        FloorBenchmark floor = new FloorBenchmark();
        floor.provider = provider;
        floor.setUp();
        floor.signAndVerify();
        System.out.println("ok  floor " + provider + ": right key verifies, wrong key rejected");

        HooksBenchmark hooks = new HooksBenchmark();
        hooks.provider = provider;
        hooks.setUp();
        hooks.signAndVerify();
        System.out.println("ok  hooks " + provider + ": signs, verifies, rejects an answer signed by a wrong key");
      }
      SpecFixtures.Operation typical = SpecFixtures.load().typical();
      Object inCode = InCodeModel.fill(io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest.class,
          new String(typical.requestBytes(), java.nio.charset.StandardCharsets.UTF_8));
      Object jackson = io.github.wechatpaypartner.client.runtime.WechatPayJson.newObjectMapper(io.github.wechatpaypartner.client.SpecCatalog.ONE_OF_MODELS)
          .readValue(typical.requestBytes(), io.github.wechatpaypartner.client.model.CreateDeliveryPlanRequest.class);
      if (!inCode.equals(jackson)) {
        throw new IllegalStateException("the cold start's in-code request differs from the example: " + inCode + " vs " + jackson);
      }
      System.out.println("ok  cold start's in-code " + typical.operationId + " request equals the example read by Jackson");
      OfficialHooksBenchmark officialHooks = new OfficialHooksBenchmark();
      officialHooks.setUp();
      officialHooks.signAndVerify();
      System.out.println("ok  official hooks: signs, verifies, rejects an answer signed by a wrong key");
      for (String operation : SpecFixtures.OPERATIONS) {
        for (String client : Clients.ALL) {
          RoundTripBenchmark roundTrip = new RoundTripBenchmark();
          roundTrip.operation = operation;
          roundTrip.client = client;
          roundTrip.setUp();
          String rejection = roundTrip.rejection;
          try {
            roundTrip.roundTrip();
          } finally {
            roundTrip.tearDown();
          }
          System.out.println("ok  round trip " + operation + " " + client
              + ": server accepted the request signature, answer verified; wrong-key answer rejected with\n      "
              + rejection.replace('\n', ' '));
        }
      }
    } catch (Exception | Error e) {
      System.err.println("SMOKE CHECK FAILED: " + e);
      e.printStackTrace();
      System.exit(1);
    }
    System.out.println("smoke check passed");
  }
}
