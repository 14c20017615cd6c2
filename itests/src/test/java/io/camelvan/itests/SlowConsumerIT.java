package io.camelvan.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
import org.apache.qpid.protonj2.client.Tracker;
import org.apache.qpid.protonj2.client.exceptions.ClientSendTimedOutException;
import org.junit.jupiter.api.Test;

import io.camelvan.router.config.RouterSettings;

/**
 * Back-pressure: a producer sending as fast as it can to an address whose only consumer takes one
 * message every 20 ms is held back by credit (it gets out at most the router's link capacity beyond
 * what was consumed), the router's memory stays bounded, and a second producer/consumer pair on
 * another address keeps flowing at full speed meanwhile.
 */
class SlowConsumerIT {

    private static final int MESSAGE_SIZE = 16 * 1024;
    private static final Duration BASELINE = Duration.ofSeconds(2);
    private static final Duration SLOW_PHASE = Duration.ofSeconds(5);
    private static final long CONSUME_EVERY_MS = 20;
    private static final long HEAP_BOUND = 48L << 20;
    private static final long LIVE_HEAP_BOUND = 32L << 20;
    /** Credit the router gives a sending link, topped up as its deliveries settle end to end. */
    private static final int LINK_CAPACITY = RouterSettings.DEFAULT_LINK_CAPACITY;

    @Test
    void aSlowConsumerThrottlesItsProducerOnlyAndTheRouterStaysSmall() throws Exception {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
        CountDownLatch failed = new CountDownLatch(1);   // a pump or the router failing ends a phase early
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (RouterProcess router = RouterProcess.start("slow-consumer", "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc");
             Client client = Client.create();
             MemorySampler memory = new MemorySampler(router, Duration.ofMillis(100));
             Connection fastProducerConnection = client.connect("127.0.0.1", router.amqpPort());
             Connection fastConsumerConnection = client.connect("127.0.0.1", router.amqpPort());
             Connection slowProducerConnection = client.connect("127.0.0.1", router.amqpPort());
             Connection slowConsumerConnection = client.connect("127.0.0.1", router.amqpPort())) {

            // the unaffected pair, on its own connections: full speed, measured alone first
            Receiver fastReceiver = fastConsumerConnection.openReceiver("fast", new ReceiverOptions().creditWindow(100));
            fastReceiver.openFuture().get(10, TimeUnit.SECONDS);
            Consumer fastConsumer = Consumer.start("fast-consumer", fastReceiver, failed, failure);
            Producer fastProducer = Producer.start("fast-producer", fastProducerConnection, "fast", failed, failure);

            // measure once it flows (connections attached, credit given, JIT warm)
            await("fast pair flowing").atMost(Duration.ofSeconds(30))
                .until(() -> fastConsumer.consumed.get() >= 200 || failed.getCount() == 0);

            long baselineStart = System.nanoTime();
            long fastAtStart = fastConsumer.consumed.get();
            failed.await(BASELINE.toMillis(), TimeUnit.MILLISECONDS);
            long fastAfterBaseline = fastConsumer.consumed.get();
            double baselineSeconds = (System.nanoTime() - baselineStart) / 1e9;
            double baselineRate = (fastAfterBaseline - fastAtStart) / baselineSeconds;

            // the slow consumer: one credit at a time, one message taken (and accepted) every 20 ms
            Receiver slowReceiver = slowConsumerConnection.openReceiver("slow", new ReceiverOptions().creditWindow(0));
            slowReceiver.openFuture().get(10, TimeUnit.SECONDS);
            slowReceiver.addCredit(1);
            AtomicLong slowConsumed = new AtomicLong();
            scheduler.scheduleAtFixedRate(() -> {
                try {
                    Delivery delivery = slowReceiver.tryReceive();   // auto-accepted
                    if (delivery != null) {
                        delivery.message();
                        slowConsumed.incrementAndGet();
                        slowReceiver.addCredit(1);
                    }
                } catch (Exception e) {
                    fail(failure, failed, e);
                }
            }, CONSUME_EVERY_MS, CONSUME_EVERY_MS, TimeUnit.MILLISECONDS);
            Producer slowProducer = Producer.start("slow-producer", slowProducerConnection, "slow", failed, failure);

            long slowStart = System.nanoTime();
            failed.await(SLOW_PHASE.toMillis(), TimeUnit.MILLISECONDS);
            long fastDuringSlow = fastConsumer.consumed.get() - fastAfterBaseline;
            double slowSeconds = (System.nanoTime() - slowStart) / 1e9;
            slowProducer.stop();
            fastProducer.stop();
            scheduler.shutdown();
            fastConsumer.stop();
            memory.sample();
            memory.close();

            long sent = slowProducer.sent.get();
            long consumed = slowConsumed.get();
            long fastSent = fastProducer.sent.get();
            double fastRate = fastDuringSlow / slowSeconds;
            double slowRate = consumed / slowSeconds;
            System.out.printf("SlowConsumerIT: fast pair alone %.0f msg/s (%.1f MB/s); during the slow phase (%.1f s):"
                    + " fast pair %.0f msg/s (%.1f MB/s), slow producer sent %d (%.0f msg/s, at most %d unsettled),"
                    + " slow consumer took %d (%.0f msg/s); fast producer sent %d in all; router %s%n",
                baselineRate, baselineRate * MESSAGE_SIZE / 1e6, slowSeconds, fastRate, fastRate * MESSAGE_SIZE / 1e6,
                sent, sent / slowSeconds, slowProducer.maxUnsettled.get(), consumed, slowRate, fastSent,
                memory.summary());
            System.out.printf("%s: router heap after GC at most %.1f MiB%n", "SlowConsumerIT",
                MemorySampler.mib(router.maxHeapAfterGcBytes().orElse(-1)));

            assertThat(failure.get()).as("a client failed").isNull();
            assertThat(router.isAlive()).as("router alive; log:\n" + router.logTail(20)).isTrue();
            assertThat(consumed).as("the slow consumer made progress").isGreaterThan(50);
            // throttled: the producer got out at most the router's credit window beyond what was consumed
            assertThat(sent - consumed).as("sent %d - consumed %d", sent, consumed)
                .isLessThanOrEqualTo(LINK_CAPACITY + 10);
            assertThat(slowProducer.maxUnsettled.get()).as("unsettled deliveries of the slow producer at any time")
                .isLessThanOrEqualTo(LINK_CAPACITY + 10);
            // ... and far fewer than a fast consumer lets a producer send in the same time
            assertThat((double) sent).as("slow producer's sends vs the fast pair's in the same phase")
                .isLessThan(fastDuringSlow / 5.0);
            // the slow address does not hold up the others
            assertThat(fastRate).as("fast pair msg/s during the slow phase vs the slow consumer's")
                .isGreaterThan(10 * slowRate);
            assertThat(fastRate).as("fast pair msg/s during the slow phase vs alone (a wide margin for noisy machines)")
                .isGreaterThan(baselineRate / 5);
            assertThat(memory.failures()).as("failed /metrics samples, last: " + memory.lastFailure()).isZero();
            assertThat(memory.maxHeapBytes()).as("router heap used while a producer pushes at a slow consumer")
                .isLessThan(HEAP_BOUND);
            assertThat(router.maxHeapAfterGcBytes().orElse(0)).as("router heap after GC (what it really holds)")
                .isLessThan(LIVE_HEAP_BOUND);
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static void fail(AtomicReference<Throwable> failure, CountDownLatch failed, Throwable e) {
        failure.compareAndSet(null, e);
        failed.countDown();
    }

    /** Sends 16 KiB messages, unsettled, as fast as credit allows, on a thread of its own. */
    private static final class Producer {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong maxUnsettled = new AtomicLong();
        private volatile boolean running = true;
        private final Thread thread;

        private Producer(String name, Connection connection, String address, CountDownLatch failed,
                AtomicReference<Throwable> failure) {
            thread = new Thread(() -> {
                try {
                    // a short send timeout only so that stop() is noticed while blocked for credit
                    Sender sender = connection.openSender(address, new SenderOptions().sendTimeout(200));
                    byte[] body = new byte[MESSAGE_SIZE];
                    Deque<Tracker> unsettled = new ArrayDeque<>();   // the consumer settles in order
                    while (running) {
                        try {
                            unsettled.addLast(sender.send(Message.create(body)));
                            sent.incrementAndGet();
                            while (!unsettled.isEmpty() && unsettled.peekFirst().remoteSettled()) {
                                unsettled.removeFirst();
                            }
                            maxUnsettled.accumulateAndGet(unsettled.size(), Math::max);
                        } catch (ClientSendTimedOutException e) {
                            // no credit for 200 ms: the router holds us back; try again unless stopped
                        }
                    }
                } catch (Exception e) {
                    if (running) {
                        fail(failure, failed, e);
                    }
                }
            }, name);
        }

        static Producer start(String name, Connection connection, String address, CountDownLatch failed,
                AtomicReference<Throwable> failure) {
            Producer producer = new Producer(name, connection, address, failed, failure);
            producer.thread.start();
            return producer;
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }

    /** Takes messages as fast as they come (auto-accept). */
    private static final class Consumer {
        final AtomicLong consumed = new AtomicLong();
        private volatile boolean running = true;
        private final Thread thread;

        private Consumer(String name, Receiver receiver, CountDownLatch failed, AtomicReference<Throwable> failure) {
            thread = new Thread(() -> {
                try {
                    while (running) {
                        Delivery delivery = receiver.receive(100, TimeUnit.MILLISECONDS);   // auto-accepted
                        if (delivery != null) {
                            byte[] body = (byte[]) delivery.message().body();
                            if (body.length != MESSAGE_SIZE) {
                                throw new AssertionError("a " + body.length + " byte message, expected " + MESSAGE_SIZE);
                            }
                            consumed.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    if (running) {
                        fail(failure, failed, e);
                    }
                }
            }, name);
        }

        static Consumer start(String name, Receiver receiver, CountDownLatch failed,
                AtomicReference<Throwable> failure) {
            Consumer consumer = new Consumer(name, receiver, failed, failure);
            consumer.thread.start();
            return consumer;
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }
}
