package io.camelvan.router.core;

import java.util.concurrent.atomic.LongAdder;

import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.Modified;
import org.apache.qpid.protonj2.types.messaging.Rejected;
import org.apache.qpid.protonj2.types.messaging.Released;
import org.apache.qpid.protonj2.types.transport.DeliveryState;

/** Delivery counters of one address, updated from any event loop without locks. */
public final class AddressMetrics {

    private final LongAdder in = new LongAdder();
    private final LongAdder out = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder released = new LongAdder();
    private final LongAdder modified = new LongAdder();

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
}
