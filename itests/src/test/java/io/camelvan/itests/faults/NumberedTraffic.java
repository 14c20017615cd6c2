package io.camelvan.itests.faults;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

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
import org.awaitility.core.ConditionTimeoutException;

/**
 * Numbered messages through a network, counted the way at-least-once is judged: producers (each a
 * protonj2-client connection and thread) send every number at a paced rate and send it again
 * whenever its outcome is not {@code accepted} (released or modified, as a router settles what it
 * could not deliver) or no outcome came within {@link #OUTCOME_TIMEOUT}; consumers record what
 * they receive. A number is <em>acknowledged</em> once the producer saw it accepted; every
 * acknowledged number must have been received, and receiving a number twice is a duplicate.
 * Receipts are also counted per 100 ms, so a test can see when throughput dropped and came back.
 */
final class NumberedTraffic implements AutoCloseable {

    static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(15);
    static final long BUCKET_MS = 100;
    private static final int BUCKETS = 10 * 60 * 20;   // 20 minutes of 100 ms
    private static final String NUMBER = "n";
    /** How often a producer looks at the outcomes of what it sent (a scan of all of them). */
    private static final long COLLECT_EVERY_NANOS = 10_000_000;

    private final Client client = Client.create();
    private final String address;
    private final int ratePerProducer;
    private final long startNanos = System.nanoTime();
    private final AtomicLong nextNumber = new AtomicLong();
    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<Long> received = ConcurrentHashMap.newKeySet();
    private final AtomicLong receipts = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong released = new AtomicLong();
    private final AtomicLong modified = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLongArray perBucket = new AtomicLongArray(BUCKETS);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Thread> producers = new ArrayList<>();
    private final List<Thread> consumers = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();
    private volatile boolean producing = true;
    private volatile boolean consuming = true;
    private volatile boolean closed;

    /** @param ratePerProducer new numbers each producer sends per second (resends come on top) */
    NumberedTraffic(String address, int ratePerProducer) {
        this.address = address;
        this.ratePerProducer = ratePerProducer;
    }

    /** A consumer on the router at host:port; returns once its link is attached. */
    NumberedTraffic consumer(String host, int port) throws Exception {
        Connection connection = connect(host, port);
        Receiver receiver = connection.openReceiver(address, new ReceiverOptions().creditWindow(200));
        receiver.openFuture().get(30, TimeUnit.SECONDS);
        Thread thread = new Thread(() -> consume(receiver), "consumer-" + consumers.size());
        consumers.add(thread);
        thread.start();
        return this;
    }

    /** A producer on the router at host:port, sending from now on. */
    NumberedTraffic producer(String host, int port) throws Exception {
        Connection connection = connect(host, port);
        // a short send timeout: a producer without credit goes back to look at its outcomes
        Sender sender = connection.openSender(address, new SenderOptions().sendTimeout(100));
        sender.openFuture().get(30, TimeUnit.SECONDS);
        Thread thread = new Thread(() -> produce(sender), "producer-" + producers.size());
        producers.add(thread);
        thread.start();
        return this;
    }

    private Connection connect(String host, int port) throws Exception {
        Connection connection = client.connect(host, port);
        connection.openFuture().get(30, TimeUnit.SECONDS);
        connections.add(connection);
        return connection;
    }

    private void consume(Receiver receiver) {
        try {
            while (consuming) {
                Delivery delivery = receiver.receive(100, TimeUnit.MILLISECONDS);   // accepted automatically
                if (delivery == null) {
                    continue;
                }
                long number = ((Number) delivery.message().property(NUMBER)).longValue();
                receipts.incrementAndGet();
                if (!received.add(number)) {
                    duplicates.incrementAndGet();
                }
                perBucket.incrementAndGet((int) Math.min(BUCKETS - 1, elapsedMs() / BUCKET_MS));
            }
        } catch (Throwable e) {
            if (consuming) {
                failure.compareAndSet(null, e);
            }
        }
    }

    private record InFlight(Tracker tracker, long sentAtNanos) {
    }

    private void produce(Sender sender) {
        Map<Long, InFlight> inFlight = new LinkedHashMap<>();
        Deque<Long> toResend = new ArrayDeque<>();
        long producerStart = System.nanoTime();
        long fresh = 0;
        long nextCollect = 0;
        try {
            while (!closed && (producing || !inFlight.isEmpty() || !toResend.isEmpty())) {
                long now = System.nanoTime();
                if (now >= nextCollect) {
                    collectOutcomes(inFlight, toResend);
                    nextCollect = now + COLLECT_EVERY_NANOS;
                }
                Long number = toResend.pollFirst();
                long freshDue = producerStart + fresh * 1_000_000_000L / ratePerProducer;
                if (number == null && producing && now >= freshDue) {
                    number = nextNumber.getAndIncrement();
                    fresh++;
                }
                if (number == null) {
                    // pacing: nothing is due before the next number or the next look at outcomes
                    LockSupport.parkNanos(Math.min(nextCollect, producing ? freshDue : nextCollect) - now);
                    continue;
                }
                try {
                    Tracker tracker = sender.send(Message.create("message " + number).property(NUMBER, number));
                    inFlight.put(number, new InFlight(tracker, System.nanoTime()));
                } catch (ClientSendTimedOutException e) {
                    toResend.addFirst(number);   // no credit (no consumer reachable now): try again
                }
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private void collectOutcomes(Map<Long, InFlight> inFlight, Deque<Long> toResend) {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<Long, InFlight>> it = inFlight.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, InFlight> entry = it.next();
            Tracker tracker = entry.getValue().tracker();
            if (tracker.remoteSettled()) {
                it.remove();
                var state = tracker.remoteState();
                if (state != null && state.isAccepted()) {
                    acknowledged.add(entry.getKey());
                    continue;
                }
                (state == null ? released : state.isModified() ? modified : state.isRejected() ? rejected : released)
                    .incrementAndGet();
                toResend.addLast(entry.getKey());
            } else if (now - entry.getValue().sentAtNanos() > OUTCOME_TIMEOUT.toNanos()) {
                it.remove();
                timedOut.incrementAndGet();
                toResend.addLast(entry.getKey());
            }
        }
    }

    /** Producers send no new numbers and return once every number they sent was acknowledged. */
    void stopProducing(Duration timeout) throws InterruptedException {
        producing = false;
        long end = System.nanoTime() + timeout.toNanos();
        for (Thread producer : producers) {
            producer.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            if (producer.isAlive()) {
                throw new AssertionError(producer.getName() + " still has messages without an accepted outcome after "
                    + timeout);
            }
        }
    }

    /**
     * Gives acknowledged numbers still on their way up to {@code timeout} to arrive, then returns
     * how many never did (the caller reports and asserts it; a timeout here is not an error).
     */
    long lostAfter(Duration timeout) {
        try {
            await("every acknowledged number received").atMost(timeout).until(() -> acknowledgedButLost() == 0);
        } catch (ConditionTimeoutException e) {
            // reported by the caller as the count of lost numbers
        }
        return acknowledgedButLost();
    }

    /** Lets the traffic run for a while; fails at once if a client fails meanwhile. */
    void runFor(Duration duration) {
        await("traffic running for " + duration).during(duration).atMost(duration.plusSeconds(1))
            .until(() -> failure.get() == null);
    }

    long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Numbers received in [fromMs, toMs) since the start (100 ms resolution). */
    long receivedBetween(long fromMs, long toMs) {
        long sum = 0;
        for (long b = fromMs / BUCKET_MS; b < Math.min(BUCKETS, toMs / BUCKET_MS); b++) {
            sum += perBucket.get((int) b);
        }
        return sum;
    }

    /**
     * When throughput recovered after {@code fromMs}: the start of the first stretch of
     * {@code sustain} in which every {@code window} saw at least {@code rate} messages per second
     * (so messages already past the fault when it struck do not count as recovery); -1 if none yet.
     */
    long recoveredAt(long fromMs, Duration window, double rate, Duration sustain) {
        long windowMs = window.toMillis();
        long needed = (long) Math.ceil(rate * windowMs / 1000.0);
        long streakStart = -1;
        for (long end = fromMs + windowMs; end <= elapsedMs() - BUCKET_MS; end += BUCKET_MS) {
            if (receivedBetween(end - windowMs, end) < needed) {
                streakStart = -1;
            } else if (streakStart < 0) {
                streakStart = end - windowMs;
            } else if (end - streakStart >= sustain.toMillis()) {
                return streakStart;
            }
        }
        return -1;
    }

    /** Receipts in each second of [fromMs, toMs), as "n n n ...". */
    String perSecond(long fromMs, long toMs) {
        StringBuilder out = new StringBuilder();
        for (long from = Math.max(0, fromMs); from + 1000 <= toMs; from += 1000) {
            out.append(out.isEmpty() ? "" : " ").append(receivedBetween(from, from + 1000));
        }
        return out.toString();
    }

    /** The longest run of 100 ms buckets in [fromMs, toMs) in which nothing was received, in ms. */
    long longestGapMs(long fromMs, long toMs) {
        long longest = 0;
        long run = 0;
        for (long b = fromMs / BUCKET_MS; b < Math.min(BUCKETS, toMs / BUCKET_MS); b++) {
            run = perBucket.get((int) b) == 0 ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest * BUCKET_MS;
    }

    long sent() {
        return nextNumber.get();
    }

    long acknowledged() {
        return acknowledged.size();
    }

    long received() {
        return received.size();
    }

    long receipts() {
        return receipts.get();
    }

    /** Acknowledged numbers never received: at-least-once is broken if this is not 0. */
    long acknowledgedButLost() {
        return acknowledged.stream().filter(n -> !received.contains(n)).count();
    }

    long duplicates() {
        return duplicates.get();
    }

    /** Outcomes other than accepted, and outcomes that never came, each followed by a resend. */
    String resends() {
        return "released " + released.get() + ", modified " + modified.get() + ", rejected " + rejected.get()
            + ", no outcome within " + OUTCOME_TIMEOUT.toSeconds() + " s " + timedOut.get();
    }

    /** How many times a number was sent again (the outcomes counted by {@link #resends()}). */
    long resent() {
        return released.get() + modified.get() + rejected.get() + timedOut.get();
    }

    long timedOut() {
        return timedOut.get();
    }

    Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        producing = false;
        consuming = false;
        for (Thread t : producers) {
            t.join(5000);
        }
        for (Thread t : consumers) {
            t.join(5000);
        }
        connections.forEach(Connection::close);
        client.close();
    }
}
