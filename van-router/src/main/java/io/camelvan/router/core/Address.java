package io.camelvan.router.core;

import java.util.Arrays;
import java.util.concurrent.CopyOnWriteArrayList;

import io.camelvan.router.config.Distribution;

/**
 * One routing key: who consumes it and how deliveries are spread among them. The consumer set is
 * read on every delivery and changed only when links come and go, so it is published as an
 * immutable array.
 */
public final class Address {

    private static final Consumer[] NONE = new Consumer[0];

    private final String name;
    private final Distribution distribution;
    private final AddressMetrics metrics;
    private final CopyOnWriteArrayList<ReachabilityListener> listeners = new CopyOnWriteArrayList<>();
    private final LocalConsumerListener localListener;
    private volatile Consumer[] consumers = NONE;
    /** Where the next choice starts looking, so that ties go round the consumers. */
    private final java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();
    /** Links and other holders that keep this entry in the table; guarded by the table's map. */
    int references;

    Address(String name, Distribution distribution, AddressMetrics metrics, LocalConsumerListener localListener) {
        this.name = name;
        this.distribution = distribution;
        this.metrics = metrics;
        this.localListener = localListener;
    }

    public String name() {
        return name;
    }

    public Distribution distribution() {
        return distribution;
    }

    public AddressMetrics metrics() {
        return metrics;
    }

    public Consumer[] consumers() {
        return consumers;
    }

    /** True while some consumer can be reached: producers get credit only then (anycast). */
    public boolean isReachable() {
        return consumers.length > 0;
    }

    /** The consumers on client links of this router (not those reached across the mesh). */
    public int localConsumers() {
        int n = 0;
        for (Consumer c : consumers) {
            if (c.routerId() == null) {
                n++;
            }
        }
        return n;
    }

    public synchronized void addConsumer(Consumer consumer) {
        Consumer[] old = consumers;
        Consumer[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = consumer;
        consumers = next;
        if (old.length == 0) {
            listeners.forEach(l -> l.reachabilityChanged(this, true));
        }
        if (consumer.routerId() == null && localConsumers() == 1) {
            localListener.localConsumersChanged(name, true);
        }
    }

    public synchronized void removeConsumer(Consumer consumer) {
        Consumer[] old = consumers;
        int at = Arrays.asList(old).indexOf(consumer);
        if (at < 0) {
            return;
        }
        Consumer[] next = new Consumer[old.length - 1];
        System.arraycopy(old, 0, next, 0, at);
        System.arraycopy(old, at + 1, next, at, old.length - at - 1);
        consumers = next;
        if (next.length == 0) {
            listeners.forEach(l -> l.reachabilityChanged(this, false));
        }
        if (consumer.routerId() == null && localConsumers() == 0) {
            localListener.localConsumersChanged(name, false);
        }
    }

    /** Picks the consumer for one anycast delivery among those {@code allowed}; null when there is none. */
    public Consumer choose(java.util.function.Predicate<Consumer> allowed) {
        return Distributor.choose(consumers, distribution, allowed, turn.getAndIncrement());
    }

    public void addListener(ReachabilityListener listener) {
        listeners.add(listener);
    }

    public void removeListener(ReachabilityListener listener) {
        listeners.remove(listener);
    }

    @Override
    public String toString() {
        return name + " (" + distribution.yamlName() + ", " + consumers.length + " consumers)";
    }

    /** Told when an address gains its first client consumer on this router or loses its last (the mesh advertises these). */
    public interface LocalConsumerListener {
        LocalConsumerListener NONE = (address, present) -> { };

        void localConsumersChanged(String address, boolean present);
    }

    /** Told when an address gains its first consumer or loses its last. Called with the address locked: hop threads, don't block. */
    public interface ReachabilityListener {
        void reachabilityChanged(Address address, boolean reachable);
    }
}
