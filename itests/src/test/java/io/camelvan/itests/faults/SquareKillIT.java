package io.camelvan.itests.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.itests.RouterProcess;

/**
 * At-least-once across a router failure. Four interior routers in a square with a diagonal
 * ({@link SiteNetwork#square}). Producers on a, consumers on c, every message numbered; the cheap path is a-b-c. Mid-run b is
 * killed with SIGKILL (traffic must move to a-d-c by itself), later started again (traffic comes
 * back through b). No number acknowledged to a producer may be missing at the consumers.
 */
class SquareKillIT {

    private static final String ADDRESS = "numbered";
    private static final int PRODUCERS = 2;
    private static final int RATE_PER_PRODUCER = 100;
    private static final int RATE = PRODUCERS * RATE_PER_PRODUCER;
    private static final Duration STEADY = Duration.ofSeconds(4);
    private static final Duration RECOVERY_WINDOW = Duration.ofSeconds(1);
    /**
     * Throughput has recovered when a whole window saw at least this share of the offered rate (the
     * share is modest: on a busy machine the rate of a healthy run varies by half from second to second) ...
     */
    private static final double RECOVERED_SHARE = 0.5;
    /** ... in every window of a stretch this long. */
    private static final Duration SUSTAIN = Duration.ofSeconds(2);
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void noAcknowledgedMessageIsLostWhenARouterOnThePathIsKilledAndComesBack() throws Exception {
        FaultReport report = new FaultReport("square-kill");
        try (SiteNetwork net = SiteNetwork.square(dir, "square").startAll();
             NumberedTraffic traffic = new NumberedTraffic(ADDRESS, RATE_PER_PRODUCER)) {
            RouterProcess a = net.router("a");
            RouterProcess c = net.router("c");
            await("a reaches b, c and d").atMost(Duration.ofSeconds(60))
                .until(() -> a.metric("van_routers_reachable").orElse(0) == 3);
            traffic.consumer(c.amqpHost(), c.amqpPort()).consumer(c.amqpHost(), c.amqpPort());
            for (int i = 0; i < PRODUCERS; i++) {
                traffic.producer(a.amqpHost(), a.amqpPort());
            }
            await("traffic a -> c flowing").atMost(Duration.ofSeconds(60)).until(() -> traffic.received() >= RATE);
            long steadyFrom = traffic.elapsedMs();
            traffic.runFor(STEADY);
            long killedAt = traffic.elapsedMs();
            double baseline = traffic.receivedBetween(steadyFrom, killedAt) * 1000.0 / (killedAt - steadyFrom);
            long throughB = net.router("b").metricValue("van_address_deliveries_in_total", "address", ADDRESS);
            assertThat(throughB).as("the cheap path a-b-c carries the traffic before the kill").isPositive();

            net.router("b").kill9();
            await("throughput back after kill -9 of b").atMost(Duration.ofSeconds(60))
                .until(() -> traffic.recoveredAt(killedAt, RECOVERY_WINDOW, RECOVERED_SHARE * RATE, SUSTAIN) >= 0
                    || traffic.failure() != null);
            long recoveredAt = traffic.recoveredAt(killedAt, RECOVERY_WINDOW, RECOVERED_SHARE * RATE, SUSTAIN);

            traffic.runFor(STEADY);
            long throughD = net.router("d").metricValue("van_address_deliveries_in_total", "address", ADDRESS);
            long restartedAt = traffic.elapsedMs();
            RouterProcess b = net.start("b");
            long bUpAt = traffic.elapsedMs();
            await("traffic back through the restarted b").atMost(Duration.ofSeconds(60))
                .until(() -> b.metric("van_address_deliveries_in_total", "address", ADDRESS).orElse(0) > 0);
            long backThroughBAt = traffic.elapsedMs();
            traffic.runFor(STEADY);

            traffic.stopProducing(Duration.ofSeconds(60));
            long stoppedAt = traffic.elapsedMs();
            long lost = traffic.lostAfter(Duration.ofSeconds(30));

            report.line("topology: square a-b(1) b-c(1) a-d(2) d-c(2) + diagonal b-d(1); %d producers on a, 2 consumers"
                + " on c, %d msg/s offered", PRODUCERS, RATE);
            report.line("numbers sent %d, acknowledged %d, received %d (%d receipts)", traffic.sent(),
                traffic.acknowledged(), traffic.received(), traffic.receipts());
            report.line("acknowledged but never received: %d", lost);
            report.line("duplicates: %d", traffic.duplicates());
            report.line("resends: %s", traffic.resends());
            report.line("throughput before the kill: %.0f msg/s", baseline);
            report.line("kill -9 of b at %d ms: deliveries through b before %d, through d after %d", killedAt, throughB,
                throughD);
            report.line("throughput back to %.0f%% of the offered rate (every %d ms window for %d s) %d ms after the"
                + " kill; longest gap without receipts %d ms", RECOVERED_SHARE * 100, RECOVERY_WINDOW.toMillis(),
                SUSTAIN.toSeconds(),
                recoveredAt - killedAt, traffic.longestGapMs(killedAt, restartedAt));
            report.line("receipts per second from 5 s before the kill to 15 s after: %s",
                traffic.perSecond(killedAt - 5000, killedAt + 15000));
            report.line("b started again at %d ms, up %d ms later, carrying traffic %d ms after that; longest gap"
                + " without receipts around the restart %d ms", restartedAt, bUpAt - restartedAt, backThroughBAt - bUpAt,
                traffic.longestGapMs(restartedAt, stoppedAt));
            report.write();

            assertThat(traffic.failure()).as("a client failed").isNull();
            assertThat(lost).as("acknowledged but never received").isZero();
            assertThat(traffic.received()).as("every number sent was received in the end").isEqualTo(traffic.sent());
            assertThat(throughD).as("the alternate path a-d-c carried traffic while b was down").isPositive();
            assertThat(recoveredAt - killedAt).as("ms until throughput recovered after kill -9")
                .isLessThan(RECOVERY_BOUND.toMillis());
        }
    }
}
