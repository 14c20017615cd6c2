package io.camelvan.router.core;

import org.apache.qpid.protonj2.types.transport.DeliveryState;

/**
 * Where a forwarded delivery came from: the side that must learn what became of each copy.
 * Both methods may be called from any thread; implementations hop to their own event loop.
 */
public interface DeliveryOrigin {

    /** The terminal outcome of an unsettled copy (accepted, rejected, released, modified). */
    void outcome(RoutedDelivery copy, DeliveryState state);

    /** A pre-settled copy has been written out, or dropped because its consumer went away. */
    void sent(RoutedDelivery copy);
}
