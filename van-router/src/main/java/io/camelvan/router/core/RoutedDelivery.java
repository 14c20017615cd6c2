package io.camelvan.router.core;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.apache.qpid.protonj2.types.transport.DeliveryState;

/**
 * One copy of a delivery travelling from the link that received it to one consumer. It has
 * exactly one owner at a time (a consumer's queue or its sending link), and its origin hears
 * exactly once how it ended.
 */
public final class RoutedDelivery {

    private static final AtomicIntegerFieldUpdater<RoutedDelivery> REPORTED =
        AtomicIntegerFieldUpdater.newUpdater(RoutedDelivery.class, "reported");

    private final String address;
    private final int messageFormat;
    private final boolean settled;
    private final DeliveryOrigin origin;
    private final DeliveryStream stream;
    private final boolean streaming;
    private volatile int reported;
    private volatile Consumer consumer;
    private volatile Runnable onFinish;

    /**
     * @param settled the copy goes to its consumer pre-settled and no outcome is expected back
     * @param streaming the copy is large or still arriving: across the mesh it gets a link of its own
     */
    public RoutedDelivery(String address, int messageFormat, boolean settled, boolean streaming,
            DeliveryOrigin origin, DeliveryStream stream) {
        this.address = address;
        this.messageFormat = messageFormat;
        this.settled = settled;
        this.streaming = streaming;
        this.origin = origin;
        this.stream = stream;
    }

    public boolean isStreaming() {
        return streaming;
    }

    /** Something to run once when this copy ends, whichever way (a consumer's load accounting). */
    public void onFinish(Runnable action) {
        this.onFinish = action;
    }

    public String address() {
        return address;
    }

    public int messageFormat() {
        return messageFormat;
    }

    public boolean isSettled() {
        return settled;
    }

    public DeliveryStream stream() {
        return stream;
    }

    public Consumer consumer() {
        return consumer;
    }

    /** Hands the copy to a consumer, which now owns it. */
    public void assignTo(Consumer target) {
        this.consumer = target;
        target.deliver(this);
    }

    /** Reports the end of this copy to its origin: the outcome when unsettled, "sent" when settled. At most once. */
    public void finish(DeliveryState outcome) {
        if (REPORTED.compareAndSet(this, 0, 1)) {
            Runnable action = onFinish;
            if (action != null) {
                action.run();
            }
            if (settled) {
                origin.sent(this);
            } else {
                origin.outcome(this, outcome);
            }
        }
    }

    public boolean isFinished() {
        return reported != 0;
    }
}
