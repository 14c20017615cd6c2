package io.camelvan.router.core;

/**
 * What forwarding needs to know of the mesh: how to reach another router. The mesh publishes a
 * new one whenever routes change; a router alone in its network has {@link #ALONE}.
 */
public interface Topology {

    Topology ALONE = routerId -> null;

    /** The next hop towards {@code routerId}, or null when it cannot be reached. */
    Consumer nextHop(String routerId);
}
