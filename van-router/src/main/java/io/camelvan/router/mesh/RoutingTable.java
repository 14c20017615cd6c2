package io.camelvan.router.mesh;

import java.util.Map;

import io.camelvan.router.core.Consumer;

/**
 * The routes of one moment, published as a whole: for every reachable router, the connection to
 * send on and the path cost. Read on every delivery that crosses routers, replaced when routes change.
 */
final class RoutingTable implements Mesh.RoutingView {

    /** One route: the connection to the first hop and the total cost. */
    record Entry(PeerLink hop, int cost) {
    }

    static final RoutingTable EMPTY = new RoutingTable(Map.of());

    private final Map<String, Entry> routes;

    RoutingTable(Map<String, Entry> routes) {
        this.routes = Map.copyOf(routes);
    }

    @Override
    public Consumer nextHop(String routerId) {
        Entry e = routes.get(routerId);
        return e == null || e.hop().isClosed() ? null : e.hop();
    }

    @Override
    public int cost(String routerId) {
        Entry e = routes.get(routerId);
        return e == null ? -1 : e.cost();
    }

    boolean reaches(String routerId) {
        return routes.containsKey(routerId);
    }

    Map<String, Entry> entries() {
        return routes;
    }
}
