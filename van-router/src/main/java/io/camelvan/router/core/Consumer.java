package io.camelvan.router.core;

/**
 * Somewhere deliveries for an address can go: a link to a local client now, and a next-hop
 * router once the mesh is in place. Implementations are thread-safe.
 */
public interface Consumer {

    /** Takes ownership of a copy. Called from any thread. */
    void deliver(RoutedDelivery delivery);

    /** Deliveries handed to this consumer and not yet settled: the load that balancing evens out. */
    int outstanding();

    /** Path cost to reach it: 0 for a local link. */
    int cost();

    /** Whether it can take a delivery now without queueing (it has credit). */
    boolean hasCapacity();
}
