package io.camelvan.router.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.camelvan.router.config.RouterMode;

/**
 * A reply to a router the link state does not reach yet goes back the way that router's last
 * delivery came; once the link state reaches it, the link state decides.
 */
class WayBackTest {

    /** A connection to another router, as forwarding sees it. */
    private record Hop(String routerId) implements Consumer {
        @Override
        public void deliver(RoutedDelivery delivery) {
        }

        @Override
        public int outstanding() {
            return 0;
        }

        @Override
        public int cost() {
            return 1;
        }

        @Override
        public boolean hasCapacity() {
            return true;
        }
    }

    private final RouterCore core = new RouterCore("b", "site-b", RouterMode.INTERIOR,
        new AddressSettings(List.of()), 250);

    @Test
    void aReplyToARouterNotInTheLinkStateYetGoesBackTheWayItsRequestCame() {
        Hop hub = new Hop("hub");
        assertThat(core.forwarder().plan("_van/a/temp/7", null)).as("no way to a yet").isEmpty();

        core.cameFrom("a", hub); // a request from a, through hub

        List<CopyPlan> plans = core.forwarder().plan("_van/a/temp/7", null);
        assertThat(plans).extracting(CopyPlan::target).containsExactly(hub);
        assertThat(plans.get(0).dests()).containsExactly("a");
    }

    @Test
    void theLinkStateWinsOnceItReachesTheRouter() {
        Hop hub = new Hop("hub");
        Hop direct = new Hop("a");
        core.cameFrom("a", hub);
        core.topology(Map.of("a", direct)::get);

        assertThat(core.nextHop("a")).isSameAs(direct);
        core.topology(Topology.ALONE);
        assertThat(core.nextHop("a")).as("forgotten once the link state reached it").isNull();
    }

    @Test
    void aRouterTheLinkStateReachesIsNotRemembered() {
        Hop direct = new Hop("a");
        core.topology(Map.of("a", direct)::get);
        core.cameFrom("a", new Hop("hub"));
        core.topology(Topology.ALONE);

        assertThat(core.nextHop("a")).isNull();
    }
}
