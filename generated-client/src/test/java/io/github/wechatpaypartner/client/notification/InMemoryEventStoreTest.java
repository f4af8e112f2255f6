package io.github.wechatpaypartner.client.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.wechatpaypartner.client.notification.EventStore.Claim;
import io.github.wechatpaypartner.testkit.FakeTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryEventStoreTest {
  private static final Duration LEASE = Duration.ofMinutes(2);
  private static final Duration RETENTION = Duration.ofHours(24);

  private final FakeTime time = new FakeTime();
  private final InMemoryEventStore store = new InMemoryEventStore(3, time);

  @Test
  void anEventIsClaimedOnceThenDoneUntilItsRetentionEnds() {
    assertEquals(Claim.CLAIMED, store.claim("EV-1", "a", LEASE));
    assertEquals(Claim.RUNNING, store.claim("EV-1", "b", LEASE));
    store.markDone("EV-1", "a", RETENTION);
    assertEquals(Claim.DONE, store.claim("EV-1", "c", LEASE));

    time.advance(RETENTION.minusSeconds(1));
    assertEquals(Claim.DONE, store.claim("EV-1", "c", LEASE));
    time.advance(Duration.ofSeconds(1));
    assertEquals(Claim.CLAIMED, store.claim("EV-1", "c", LEASE), "forgotten after the retention");
  }

  @Test
  void aClaimLapsesWithItsLeaseAndOnlyItsOwnerReleasesIt() {
    assertEquals(Claim.CLAIMED, store.claim("EV-1", "a", LEASE));
    time.advance(LEASE);
    assertEquals(Claim.CLAIMED, store.claim("EV-1", "b", LEASE), "an instance that died holds nothing past its lease");

    store.release("EV-1", "a");
    assertEquals(Claim.RUNNING, store.claim("EV-1", "c", LEASE), "a's late release leaves b's claim alone");
    store.release("EV-1", "b");
    assertEquals(Claim.CLAIMED, store.claim("EV-1", "c", LEASE));
  }

  @Test
  void theOldestEventsGoWhenTheStoreIsFull() {
    for (String id : new String[] {"EV-1", "EV-2", "EV-3"}) {
      store.claim(id, "a", LEASE);
      store.markDone(id, "a", RETENTION);
    }
    assertEquals(3, store.size());
    store.claim("EV-4", "a", LEASE);
    assertEquals(3, store.size());
    assertEquals(Claim.CLAIMED, store.claim("EV-1", "b", LEASE), "the oldest was dropped");
    assertEquals(Claim.DONE, store.claim("EV-3", "b", LEASE));

    time.advance(RETENTION);
    assertEquals(0, store.size(), "expired entries are not kept");
  }

  @Test
  void aStoreHoldsAtLeastOneEvent() {
    assertThrows(IllegalArgumentException.class, () -> new InMemoryEventStore(0));
  }
}
