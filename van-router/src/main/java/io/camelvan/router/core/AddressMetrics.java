package io.camelvan.router.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.Modified;
import org.apache.qpid.protonj2.types.messaging.Rejected;
import org.apache.qpid.protonj2.types.messaging.Released;
import org.apache.qpid.protonj2.types.transport.DeliveryState;

/**
 * Delivery counters of one address, updated from any event loop without locks; and how long its
 * producers have waited for credit because no consumer could be reached.
 */
public final class AddressMetrics {

    private final LongAdder in = new LongAdder();
    private final LongAdder out = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder released = new LongAdder();
    private final LongAdder modified = new LongAdder();
    private final AtomicInteger producers = new AtomicInteger();
    /* Starvation: finished periods add to starvedNanos; running ones count from their start. Changes
       only when reachability changes, so a lock is cheap here. Guarded by this. */
    private long starvedNanos;
    private int starvedLinks;
    private long starvedSinceSum;

    public void deliveryIn() {
        in.increment();
    }

    public void deliveryOut() {
        out.increment();
    }

    /** Counts the outcome a producer was given. */
    public void outcome(DeliveryState state) {
        if (state == null || state instanceof Accepted) {
            accepted.increment();
        } else if (state instanceof Rejected) {
            rejected.increment();
        } else if (state instanceof Released) {
            released.increment();
        } else if (state instanceof Modified) {
            modified.increment();
        }
    }

    public long in() {
        return in.sum();
    }

    public long out() {
        return out.sum();
    }

    public long accepted() {
        return accepted.sum();
    }

    public long rejected() {
        return rejected.sum();
    }

    public long released() {
        return released.sum();
    }

    public long modified() {
        return modified.sum();
    }

    /** A client link that sends to this address attached ({@code +1}) or went ({@code -1}). */
    public void producers(int delta) {
        producers.addAndGet(delta);
    }

    /** Client links sending to the address now. */
    public int producers() {
        return producers.get();
    }

    /** A producer's link stopped getting credit because no consumer can be reached. */
    public synchronized void starvationStarted(long nanoTime) {
        starvedLinks++;
        starvedSinceSum += nanoTime;
    }

    /** The producer's link gets credit again (a consumer appeared), or it went while waiting. */
    public synchronized void starvationEnded(long startedNanoTime, long nanoTime) {
        starvedLinks--;
        starvedSinceSum -= startedNanoTime;
        starvedNanos += nanoTime - startedNanoTime;
    }

    /** Producer links waiting for credit now. */
    public synchronized int starvedProducers() {
        return starvedLinks;
    }

    /** Total time producer links of the address have waited for credit, summed over links, up to {@code nanoTime}. */
    public synchronized long starvedNanos(long nanoTime) {
        return starvedNanos + (long) starvedLinks * nanoTime - starvedSinceSum;
    }
}
