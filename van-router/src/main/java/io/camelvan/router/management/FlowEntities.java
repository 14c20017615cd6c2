package io.camelvan.router.management;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The {@code flow} entities: the flow records this router keeps (newest first), named by flow id.
 * QUERY takes options in its body: {@code limit} (default 100, at most {@link FlowLog#CAPACITY}),
 * {@code routingKey}, {@code site} (source or destination) and {@code outcome}.
 */
public final class FlowEntities implements ManagedType {

    static final int DEFAULT_LIMIT = 100;

    private final FlowLog flows;

    public FlowEntities(FlowLog flows) {
        this.flows = flows;
    }

    @Override
    public List<Map<String, Object>> query() {
        return query(Map.of());
    }

    @Override
    public List<Map<String, Object>> query(Map<String, Object> request) {
        Attributes a = new Attributes(request);
        a.onlyKnown("flow query", "limit", "routingKey", "site", "outcome");
        int limit = Math.max(0, Math.min(a.integer("limit", DEFAULT_LIMIT), FlowLog.CAPACITY));
        return flows.newest(limit, filter(a)).stream().map(FlowRecord::toMap).toList();
    }

    private static Predicate<FlowRecord> filter(Attributes a) {
        String key = a.string("routingKey", null);
        String site = a.string("site", null);
        String outcome = a.string("outcome", null);
        return r -> (key == null || key.equals(r.routingKey()))
            && (site == null || site.equals(r.sourceSite()) || site.equals(r.destinationSite()))
            && (outcome == null || outcome.equalsIgnoreCase(r.outcome().name()));
    }

    @Override
    public Map<String, Object> read(String name) {
        return flows.newest(1, r -> name.equals(r.id())).stream().findFirst().map(FlowRecord::toMap)
            .orElseThrow(() -> ManagementException.notFound("flow '" + name + "' (not among the last " + FlowLog.CAPACITY + ")"));
    }
}
