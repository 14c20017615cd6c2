package io.camelvan.router.management;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * This router's {@link FlowRecorder}: keeps the most recent records in a bounded ring (for
 * management and the admin API) and counts every flow by routing key and by pair of sites (for
 * /metrics). Counters outlive the records the ring drops.
 */
public final class FlowLog implements FlowRecorder {

    /** Records kept per router. */
    public static final int CAPACITY = 1000;
    /** Distinct routing keys and site pairs counted; past it, flows are still recorded but not counted separately. */
    static final int MAX_SERIES = 10_000;

    /** Counters of one routing key for one protocol. */
    record KeySeries(FlowRecord.Protocol protocol, String routingKey) {
    }

    /** Counters of the flows from one site to another, for one protocol. */
    record SitePair(FlowRecord.Protocol protocol, String sourceSite, String destinationSite) {
    }

    private final FlowRing ring;
    private final Map<KeySeries, FlowCounters> byKey = new ConcurrentHashMap<>();
    private final Map<SitePair, FlowCounters> bySites = new ConcurrentHashMap<>();
    private final FlowCounters overflow = new FlowCounters();

    public FlowLog() {
        this(CAPACITY);
    }

    FlowLog(int capacity) {
        this.ring = new FlowRing(capacity);
    }

    @Override
    public void started(FlowRecord.Protocol protocol, String routingKey) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(routingKey, "routingKey");
        FlowCounters c = counters(byKey, new KeySeries(protocol, routingKey));
        c.opened.increment();
        c.active.increment();
    }

    @Override
    public void record(FlowRecord record) {
        ring.add(record);
        FlowCounters key = counters(byKey, new KeySeries(record.protocol(), record.routingKey()));
        key.active.decrement();
        key.ended(record);
        if (record.destinationSite() != null) {
            FlowCounters pair = counters(bySites,
                new SitePair(record.protocol(), record.sourceSite(), record.destinationSite()));
            pair.ended(record);
        }
    }

    private <K> FlowCounters counters(Map<K, FlowCounters> series, K key) {
        FlowCounters c = series.get(key);
        if (c == null) {
            c = series.size() >= MAX_SERIES ? overflow : series.computeIfAbsent(key, k -> new FlowCounters());
        }
        return c;
    }

    /** Up to {@code limit} records, newest first, that match. */
    public List<FlowRecord> newest(int limit, Predicate<FlowRecord> match) {
        return ring.newest(limit, match);
    }

    /** Records ever made here, kept or dropped. */
    public long total() {
        return ring.total();
    }

    Map<KeySeries, FlowCounters> byKey() {
        return byKey;
    }

    Map<SitePair, FlowCounters> bySites() {
        return bySites;
    }
}
