package io.camelvan.itests.faults.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.Delivery;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.ReceiverOptions;
import org.apache.qpid.protonj2.client.Sender;
import org.apache.qpid.protonj2.client.SenderOptions;
import org.apache.qpid.protonj2.client.exceptions.ClientSendTimedOutException;
import org.junit.jupiter.api.Test;

import io.camelvan.itests.MemorySampler;
import io.camelvan.itests.RouterProcess;

/**
 * A soak: producers and consumers on a router process as fast as they can for
 * {@code -Dabuse.soak.seconds} (600 in the faults profile), the router's heap fixed and touched
 * at start ({@code -Xms = -Xmx}, pre-touched) so that its resident set measures what the router
 * holds, not what the heap has yet to grow into. The RSS at the end must be within 10% of the
 * RSS after the warm-up (a tenth of the run, at least 30 s). Figures: {@code target/faults/soak.txt}.
 */
class SoakIT {

    private static final long SECONDS = Long.getLong("abuse.soak.seconds", 600);
    private static final int PAIRS = 2;
    private static final int BODY = 1024;

    @Test
    void rssAtTheEndOfASoakIsWithinTenPercentOfRssAfterWarmUp() throws Exception {
        long warmUpSeconds = Math.max(30, SECONDS / 10);
        FigureFile figures = new FigureFile("soak");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong received = new AtomicLong();
        try (RouterProcess router = RouterProcess.builder("soak").config(RouterProcess.minimalConfig("soak"))
                .jvmArgs("-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch", "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc").start();
             MemorySampler memory = new MemorySampler(router, Duration.ofSeconds(5));
             Client client = Client.create()) {
            Thread[] threads = new Thread[2 * PAIRS];
            long end = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
            for (int p = 0; p < PAIRS; p++) {
                String address = "soak." + p;
                Connection consumerConnection = client.connect("127.0.0.1", router.amqpPort());
                Receiver receiver = consumerConnection.openReceiver(address, new ReceiverOptions().creditWindow(500));
                receiver.openFuture().get(10, TimeUnit.SECONDS);
                Connection producerConnection = client.connect("127.0.0.1", router.amqpPort());
                threads[2 * p] = new Thread(() -> {
                    try {
                        while (System.nanoTime() < end) {
                            Delivery d = receiver.receive(1, TimeUnit.SECONDS);   // auto-accepted
                            if (d != null) {
                                d.message();
                                received.incrementAndGet();
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "soak-consumer-" + p);
                threads[2 * p + 1] = new Thread(() -> {
                    try {
                        Sender sender = producerConnection.openSender(address, new SenderOptions().sendTimeout(1000));
                        byte[] body = new byte[BODY];
                        while (System.nanoTime() < end) {
                            try {
                                sender.send(Message.create(body));
                            } catch (ClientSendTimedOutException noCreditForASecond) {
                                // the consumer is behind; go on while the soak lasts
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "soak-producer-" + p);
            }
            for (Thread t : threads) {
                t.start();
            }
            long startNanos = System.nanoTime();
            await("warm-up").pollInterval(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(warmUpSeconds + 10))
                .until(() -> System.nanoTime() - startNanos >= Duration.ofSeconds(warmUpSeconds).toNanos()
                    || failure.get() != null);
            long rssWarm = router.rssBytes();
            long receivedWarm = received.get();
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(SECONDS + 60).toMillis());
            }
            long rssEnd = router.rssBytes();
            double rate = (received.get() - receivedWarm) / (double) Math.max(1, SECONDS - warmUpSeconds);
            memory.sample();
            figures.add("duration", "%d s (warm-up %d s), %d producer/consumer pairs, %d B messages", SECONDS,
                    warmUpSeconds, PAIRS, BODY)
                .add("messages received", "%d (%.0f msg/s after warm-up)", received.get(), rate)
                .add("RSS after warm-up / at the end", "%.1f / %.1f MiB (%+.1f%%)", MemorySampler.mib(rssWarm),
                    MemorySampler.mib(rssEnd), 100.0 * (rssEnd - rssWarm) / rssWarm)
                .add("router memory", "%s; heap after GC max %.1f MiB", memory.summary(),
                    MemorySampler.mib(router.maxHeapAfterGcBytes().orElse(-1)))
                .write();
            assertThat(failure.get()).as("a client failed").isNull();
            assertThat(router.isAlive()).isTrue();
            assertThat(received.get()).as("messages through the router").isGreaterThan(SECONDS * 100);
            assertThat((double) rssEnd).as("RSS at the end vs after warm-up (%d bytes)", rssWarm)
                .isLessThanOrEqualTo(rssWarm * 1.10);
        }
    }
}
