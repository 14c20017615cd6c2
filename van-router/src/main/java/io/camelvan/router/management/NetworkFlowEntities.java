package io.camelvan.router.management;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import io.camelvan.router.core.RouterCore;
import io.camelvan.router.mesh.Mesh;
import io.camelvan.router.mesh.MeshSnapshot;

/**
 * The {@code networkFlow} type: QUERY gathers the flow records of every router of the network on
 * demand ({@code QUERY flow} on each, with the same options) and answers with the newest first:
 * {@code {"flows": [...], "unanswered": {router: why}}}.
 */
public final class NetworkFlowEntities implements GatheredType {

    private final RouterCore core;
    private final Mesh mesh;
    private final FlowEntities local;
    private final RouterQueries queries;

    public NetworkFlowEntities(RouterCore core, Mesh mesh, FlowEntities local, RouterQueries queries) {
        this.core = core;
        this.mesh = mesh;
        this.local = local;
        this.queries = queries;
    }

    @Override
    public CompletionStage<Object> query(Map<String, Object> request) {
        MeshSnapshot snapshot = mesh.snapshot();
        Optional<String> uplink = NetworkEntities.uplink(core, snapshot);
        if (uplink.isPresent()) {
            return NetworkEntities.forward(queries, uplink.get(), "networkFlow", request);
        }
        List<Map<String, Object>> flows = new ArrayList<>(local.query(request));
        int limit = new Attributes(request).integer("limit", FlowEntities.DEFAULT_LIMIT);
        List<String> others = snapshot.routers().stream().skip(1).map(MeshSnapshot.KnownRouter::id).toList();
        return queries.askAll(others, "QUERY", "flow", request, NetworkEntities.TIMEOUT).thenApply(replies -> {
            Map<String, Object> unanswered = new LinkedHashMap<>();
            replies.forEach((id, reply) -> {
                if (reply.ok()) {
                    flows.addAll(reply.entities());
                } else {
                    unanswered.put(id, reply.status() + " " + reply.description());
                }
            });
            flows.sort(Comparator.comparingLong((Map<String, Object> f) -> f.get("startMs") instanceof Number n
                ? n.longValue() : 0).reversed());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("flows", new ArrayList<>(flows.subList(0, Math.min(Math.max(limit, 0), flows.size()))));
            out.put("unanswered", unanswered);
            return out;
        });
    }
}
