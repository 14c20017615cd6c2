package io.camelvan.itests.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.itests.RouterProcess;

/**
 * Link flaps and partitions, cut for real: three routers, each in a network namespace of its own,
 * joined by veth pairs in a triangle, a-b and b-c at cost 1 and c-a at cost 5. Producers on a,
 * consumers on c, every message numbered (the cheap path is a-b-c). The a-b wire is taken down
 * ({@code ip link set down} on both ends) for 1 s, 10 s and 60 s: the network routes around it
 * over c-a (within {@link #REROUTE_BOUND} when the cut lasts longer than that) and, when the wire comes back, heals by itself (traffic goes through b again) with
 * no operator action. Then a is cut off from both others for 10 s: with no path, producers wait
 * (no credit, or released), and everything flows once a's wires are back. No acknowledged
 * message may be lost.
 */
class LinkPartitionIT {

    private static final String ADDRESS = "numbered";
    private static final int RATE = 200;
    private static final List<Duration> CUTS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(10),
        Duration.ofSeconds(60));
    private static final Duration ISOLATION = Duration.ofSeconds(10);
    private static final Duration STEADY = Duration.ofSeconds(3);
    /**
     * The longest a cut a-b may stop traffic when c-a is there: the neighbour is lost after 3 s
     * without a hello (checked each second), its connection closed, and what it held sent again.
     */
    private static final Duration REROUTE_BOUND = Duration.ofSeconds(8);
    /** From the wire coming back to traffic through b again: the dialler's backoff (5 s at most) plus TLS and hellos. */
    private static final Duration HEAL_BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void theNetworkRoutesAroundACutLinkAndHealsWhenItReturns() throws Exception {
        assumeTrue(NamespaceLab.available(), "network namespaces need root and ip(8)");
        FaultReport report = new FaultReport("link-partition");
        try (NamespaceLab lab = new NamespaceLab();
             SiteNetwork net = new SiteNetwork(dir, "partition");
             NumberedTraffic traffic = new NumberedTraffic(ADDRESS, RATE)) {
            for (String site : List.of("a", "b", "c")) {
                lab.namespace(site);
            }
            lab.wire("a", "b");
            lab.wire("b", "c");
            lab.wire("c", "a");
            // each router is dialled at one address, the one its certificate names: a by c, b by a, c by b
            net.siteInNamespace("a", lab.namespaceName("a"), lab.host("a"), lab.addressOn("a", "c"))
                .siteInNamespace("b", lab.namespaceName("b"), lab.host("b"), lab.addressOn("b", "a"))
                .siteInNamespace("c", lab.namespaceName("c"), lab.host("c"), lab.addressOn("c", "b"))
                .link("a", "b", 1).link("b", "c", 1).link("c", "a", 5)
                .startAll();
            RouterProcess a = net.router("a");
            RouterProcess b = net.router("b");
            RouterProcess c = net.router("c");
            traffic.consumer(c.amqpHost(), c.amqpPort());
            await("three routers see each other").atMost(Duration.ofSeconds(60))
                .until(() -> a.metric("van_routers_reachable").orElse(0) == 2);
            traffic.producer(a.amqpHost(), a.amqpPort());
            await("traffic a -> c flowing").atMost(Duration.ofSeconds(60)).until(() -> traffic.received() >= RATE);
            traffic.runFor(STEADY);
            report.line("three routers in network namespaces, veth wires a-b (1), b-c (1), c-a (5); producer on a,"
                + " consumer on c, %d msg/s", RATE);

            List<String> failures = new ArrayList<>();
            for (Duration cut : CUTS) {
                long cutAt = traffic.elapsedMs();
                lab.down("a", "b");
                traffic.runFor(cut);
                long upAt = traffic.elapsedMs();
                long receivedDuringCut = traffic.receivedBetween(cutAt, upAt);
                lab.up("a", "b");
                // healed: the link a-b is up again (a new connection, when the old one was closed) and
                // carries traffic; bytes the old connection still had queued do not count
                await("link a-b up again after a " + cut.toSeconds() + " s cut").atMost(Duration.ofSeconds(120))
                    .until(() -> a.metric("van_link_up", "peer", "b").orElse(0) == 1);
                long linkUpAt = traffic.elapsedMs();
                long throughBAtLinkUp = throughB(b);
                await("traffic through b again after a " + cut.toSeconds() + " s cut").atMost(Duration.ofSeconds(120))
                    .until(() -> throughB(b) > throughBAtLinkUp);
                long healedAt = traffic.elapsedMs();
                traffic.runFor(STEADY);
                long gap = traffic.longestGapMs(cutAt, healedAt);
                report.line("a-b down %d s: %d received while down (%.0f msg/s), longest gap without receipts %d ms;"
                    + " link up again %d ms and traffic through b %d ms after the wire came back", cut.toSeconds(),
                    receivedDuringCut, receivedDuringCut * 1000.0 / (upAt - cutAt), gap, linkUpAt - upAt, healedAt - upAt);
                if (healedAt - upAt > HEAL_BOUND.toMillis()) {
                    failures.add("a-b down " + cut.toSeconds() + " s: healed after " + (healedAt - upAt) + " ms");
                }
                if (cut.compareTo(REROUTE_BOUND) > 0 && gap > REROUTE_BOUND.toMillis()) {
                    failures.add("a-b down " + cut.toSeconds() + " s: nothing received for " + gap + " ms");
                }
            }

            long isolatedAt = traffic.elapsedMs();
            long sentAtIsolation = traffic.sent();
            lab.down("a", "b");
            lab.down("c", "a");
            traffic.runFor(ISOLATION);
            long reconnectedAt = traffic.elapsedMs();
            long receivedWhileIsolated = traffic.receivedBetween(isolatedAt + 4000, reconnectedAt);
            long sentWhileIsolated = traffic.sent() - sentAtIsolation;
            lab.up("a", "b");
            lab.up("c", "a");
            long receivedAtReconnect = traffic.received();
            await("traffic again after a was cut off").atMost(Duration.ofSeconds(120))
                .until(() -> traffic.received() > receivedAtReconnect + RATE);
            long flowingAgainAt = traffic.elapsedMs();
            traffic.runFor(STEADY);

            traffic.stopProducing(Duration.ofSeconds(60));
            long lost = traffic.lostAfter(Duration.ofSeconds(30));
            report.line("a cut off (a-b and c-a down) %d s: %d received from 4 s after the cut until the wires came"
                + " back; %d new numbers sent in that time; flowing again (%d more received) %d ms after",
                ISOLATION.toSeconds(), receivedWhileIsolated, sentWhileIsolated, RATE, flowingAgainAt - reconnectedAt);
            report.line("numbers sent %d, acknowledged %d, received %d; acknowledged but never received %d;"
                + " duplicates %d; resends: %s", traffic.sent(), traffic.acknowledged(), traffic.received(),
                lost, traffic.duplicates(), traffic.resends());
            report.write();

            assertThat(failures).isEmpty();
            assertThat(traffic.failure()).as("a client failed").isNull();
            assertThat(lost).as("acknowledged but never received").isZero();
            assertThat(traffic.received()).as("every number sent was received in the end").isEqualTo(traffic.sent());
            assertThat(flowingAgainAt - reconnectedAt).as("ms until traffic flowed after a's wires came back")
                .isLessThan(HEAL_BOUND.toMillis());
        }
    }

    private static long throughB(RouterProcess b) {
        return b.metric("van_address_deliveries_in_total", "address", ADDRESS).orElse(0);
    }
}
