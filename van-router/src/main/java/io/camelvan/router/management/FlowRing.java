package io.camelvan.router.management;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The most recent flow records, in a fixed-size ring: the oldest is dropped when a new one comes. */
final class FlowRing {

    private final FlowRecord[] ring;
    private int next;
    private long total;

    FlowRing(int capacity) {
        this.ring = new FlowRecord[capacity];
    }

    synchronized void add(FlowRecord record) {
        ring[next] = record;
        next = (next + 1) % ring.length;
        total++;
    }

    /** Up to {@code limit} records that {@code match}, newest first. */
    synchronized List<FlowRecord> newest(int limit, Predicate<FlowRecord> match) {
        List<FlowRecord> out = new ArrayList<>(Math.min(limit, ring.length));
        for (int i = 1; i <= ring.length && out.size() < limit; i++) {
            FlowRecord r = ring[Math.floorMod(next - i, ring.length)];
            if (r == null) {
                break;
            }
            if (match.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Records ever added, kept or not. */
    synchronized long total() {
        return total;
    }

    int capacity() {
        return ring.length;
    }
}
