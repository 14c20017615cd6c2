package io.camelvan.router.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Anycast choices: the least loaded and cheapest consumer, and among equals each in turn. */
class AddressChoiceTest {

    private static final class Fake implements Consumer {
        final int outstanding;
        final int cost;

        Fake(int outstanding, int cost) {
            this.outstanding = outstanding;
            this.cost = cost;
        }

        @Override
        public void deliver(RoutedDelivery delivery) {
        }

        @Override
        public int outstanding() {
            return outstanding;
        }

        @Override
        public int cost() {
            return cost;
        }

        @Override
        public boolean hasCapacity() {
            return true;
        }
    }

    private final AddressTable table = new AddressTable(new AddressSettings(List.of()));

    @Test
    void equallyIdleConsumersTakeTurns() {
        Address address = table.acquire("api");
        Fake a = new Fake(0, 1);
        Fake b = new Fake(0, 1);
        address.addConsumer(a);
        address.addConsumer(b);

        List<Consumer> chosen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            chosen.add(address.choose(c -> true));
        }

        assertThat(chosen).filteredOn(c -> c == a).hasSize(3);
        assertThat(chosen).filteredOn(c -> c == b).hasSize(3);
    }

    @Test
    void theLeastLoadedAndCheapestWinsOverTurns() {
        Address address = table.acquire("db");
        Fake busy = new Fake(3, 0);
        Fake far = new Fake(0, 5);
        Fake idleNear = new Fake(0, 1);
        address.addConsumer(busy);
        address.addConsumer(far);
        address.addConsumer(idleNear);

        for (int i = 0; i < 5; i++) {
            assertThat(address.choose(c -> true)).isSameAs(idleNear);
        }
    }
}
