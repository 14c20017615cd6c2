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

    /**
     * The router this consumer is on, or null for a client link of this router. Deliveries are
     * never sent back towards a router they have already passed.
     */
    default String routerId() {
        return null;
    }

    /**
     * The routers a copy sent to this consumer is for, named in its annotations: null for a client
     * link, this consumer's router otherwise, and empty for an edge router's uplink (the interior
     * router at the other end routes it as if a client of its own had sent it).
     */
    default java.util.List<String> dests() {
        return routerId() == null ? null : java.util.List.of(routerId());
    }

    /**
     * True when the consumer is served by this router rather than reached across the mesh: its
     * own client links, and the consumers of edge routers attached to it.
     */
    default boolean isServedHere() {
        return routerId() == null;
    }
}
