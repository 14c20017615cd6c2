package io.camelvan.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.junit.jupiter.api.Test;

/**
 * Cut-through streaming: a 200 MB message crosses a router whose heap is capped at 64 MiB. A router
 * that assembled the message (or let a fast producer run ahead of the consumer without bound)
 * would run out of memory; with {@code -XX:+ExitOnOutOfMemoryError} it then dies and the test fails.
 * The transfer must also keep moving: normally it takes 3-10 s here; a stall of seconds means the
 * router stopped forwarding until something (a heartbeat) woke it.
 */
class LargeMessageIT {

    private static final int SIZE = 200 * 1000 * 1000;
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final double MAX_STALL_SECONDS = 5;
    private static final long HEAP_LIMIT = 64L << 20;
    private static final long RSS_LIMIT = 320L << 20;

    @Test
    void a200MegabyteMessageStreamsThroughARouterWithA64MegabyteHeap() throws Exception {
        try (RouterProcess router = RouterProcess.start("large-message",
                "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc");
             Client client = Client.create();
             MemorySampler memory = new MemorySampler(router, Duration.ofMillis(100));
             Connection producer = client.connect("127.0.0.1", router.amqpPort());
             Connection consumer = client.connect("127.0.0.1", router.amqpPort())) {

            StreamTransfer.Result transfer = StreamTransfer.run(producer, consumer, "large", SIZE, DEADLINE);
            memory.sample();
            memory.close();
            long peakRss = router.isAlive() ? router.peakRssBytes() : memory.maxRssBytes();
            System.out.printf("LargeMessageIT: %s; router %s; peak RSS (VmHWM) %.1f MiB; heap after GC at most"
                    + " %.1f MiB%n", transfer.describe(), memory.summary(), MemorySampler.mib(peakRss),
                MemorySampler.mib(router.maxHeapAfterGcBytes().orElse(-1)));

            assertThat(router.isAlive()).as("router alive after the transfer; log:\n" + router.logTail(20)).isTrue();
            assertThat(transfer.completed()).as(transfer.describe()).isTrue();
            assertThat(transfer.received()).as("bytes received").isEqualTo(SIZE);
            assertThat(transfer.digestsMatch()).as("SHA-256 of what was received vs what was sent").isTrue();
            assertThat(transfer.accepted()).as("the consumer's accept reaches the producer").isTrue();
            assertThat(transfer.longestStallSeconds()).as("longest time nothing arrived; " + transfer.describe())
                .isLessThan(MAX_STALL_SECONDS);

            assertThat(memory.failures()).as("failed /metrics samples, last: " + memory.lastFailure()).isZero();
            assertThat(memory.samples()).as("samples taken during the transfer").isGreaterThan(3);
            assertThat(memory.maxHeapBytes()).as("router heap used").isLessThan(HEAP_LIMIT);
            assertThat(router.maxHeapAfterGcBytes().orElse(0)).as("router heap after GC (what it really holds)")
                .isLessThan(HEAP_LIMIT / 2);
            if (memory.maxDirectBytes() >= 0) {   // the router reports -1 when Netty does not count direct memory
                assertThat(memory.maxDirectBytes()).as("router direct memory used").isLessThan(HEAP_LIMIT);
            }
            // a router holding the message off-heap would show here (this one peaks at 140-170 MiB with -Xmx64m)
            assertThat(peakRss).as("router peak RSS").isLessThan(RSS_LIMIT);
        }
    }
}
