package io.camelvan.router.management;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.camelvan.router.config.RouterMode;
import io.camelvan.router.core.RouterCore;
import io.camelvan.router.mesh.Mesh;
import io.camelvan.router.mesh.MeshSnapshot;

/**
 * The {@code network} type: QUERY answers with the whole network, gathered on demand. The routers
 * and links are this router's mesh snapshot (a router that cannot be reached is not in it); each
 * of them is asked for its status ({@code READ router} on {@code _van/<id>/$management}) in
 * parallel, and one that does not answer within {@link #TIMEOUT} is listed without it. An edge
 * router, which knows only its uplink, asks its interior router for the network instead.
 */
public final class NetworkEntities implements GatheredType {

    /** How long each router is given to answer. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final RouterCore core;
    private final Mesh mesh;
    private final RouterEntities self;
    private final RouterQueries queries;

    public NetworkEntities(RouterCore core, Mesh mesh, RouterEntities self, RouterQueries queries) {
        this.core = core;
        this.mesh = mesh;
        this.self = self;
        this.queries = queries;
    }

    @Override
    public CompletionStage<Object> query(Map<String, Object> request) {
        MeshSnapshot snapshot = mesh.snapshot();
        Optional<String> uplink = uplink(core, snapshot);
        if (uplink.isPresent()) {
            return forward(queries, uplink.get(), "network", request);
        }
        Map<String, Map<String, Object>> statuses = new HashMap<>();
        statuses.put(core.routerId(), self.status());
        List<String> others = snapshot.routers().stream().skip(1).map(MeshSnapshot.KnownRouter::id).toList();
        return queries.askAll(others, "READ", "router", Map.of(), TIMEOUT).thenApply(replies -> {
            Map<String, String> errors = new HashMap<>();
            replies.forEach((id, reply) -> {
                if (reply.ok()) {
                    statuses.put(id, reply.entity());
                } else {
                    errors.put(id, reply.status() + " " + reply.description());
                }
            });
            return new NetworkView(snapshot, statuses, errors).toMap();
        });
    }

    /** The interior router an edge router should ask for network-wide answers; empty on an interior router. */
    static Optional<String> uplink(RouterCore core, MeshSnapshot snapshot) {
        return core.mode() == RouterMode.EDGE && snapshot.routers().size() > 1
            ? Optional.of(snapshot.routers().get(1).id()) : Optional.empty();
    }

    /** Asks another router for a network-wide answer and passes its reply on, or its error. */
    static CompletableFuture<Object> forward(RouterQueries queries, String router, String type, Map<String, Object> request) {
        return queries.ask(router, "QUERY", type, null, request, TIMEOUT.multipliedBy(2)).thenApply(reply -> {
            if (!reply.ok()) {
                throw new ManagementException(reply.status(), "asking interior router '" + router + "': " + reply.description());
            }
            return reply.body();
        });
    }
}
