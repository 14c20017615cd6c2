package io.camelvan.router.mesh;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The network as this router's mesh knows it at one moment: every router it can reach (itself
 * first), their links with costs, attached edge routers and the addresses they have consumers for.
 * Immutable; the mesh publishes a new one from its control thread whenever it computes routes, so
 * status and metrics read it from any thread without touching the mesh's own state. A router that
 * cannot be reached is not in it.
 *
 * @param at when it was computed
 */
public record MeshSnapshot(Instant at, List<KnownRouter> routers) {

    public MeshSnapshot {
        routers = List.copyOf(routers);
    }

    /**
     * One router as the mesh knows it.
     *
     * @param site its site, or null when not known yet (an edge router attached elsewhere)
     * @param mode {@code interior} or {@code edge}
     * @param cost the path cost from this router (0 for this router itself)
     * @param links the router's links as it announced them: neighbour router id → cost; for an edge
     *        router, its interior router (a link counts for routing only when both ends list it)
     * @param edges the edge routers attached to it
     * @param addresses the addresses it has consumers for, as it advertises them (an interior router's
     *        include those of its edges); empty where the mesh does not know (a remote edge router)
     */
    public record KnownRouter(String id, String site, String mode, int cost, Map<String, Integer> links,
            List<String> edges, List<String> addresses) {

        public KnownRouter {
            links = Map.copyOf(links);
            edges = List.copyOf(edges);
            addresses = List.copyOf(addresses);
        }
    }

    /** The router of that id, if it can be reached. */
    public Optional<KnownRouter> router(String id) {
        return routers.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** This router: always the first. */
    public KnownRouter self() {
        return routers.get(0);
    }
}
