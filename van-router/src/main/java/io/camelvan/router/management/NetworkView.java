package io.camelvan.router.management;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.camelvan.router.mesh.MeshSnapshot;

/**
 * Puts the network together for {@code status --network}, the admin API and the console: the
 * routers and links as this router's mesh knows them, and what each router said of itself (its
 * status) for sites, traffic and services. The format is described in docs/management.md.
 */
final class NetworkView {

    private final MeshSnapshot mesh;
    private final Map<String, Map<String, Object>> statuses;
    private final Map<String, String> errors;

    /**
     * @param statuses the status of each router that answered, by id
     * @param errors why each other router did not answer, by id
     */
    NetworkView(MeshSnapshot mesh, Map<String, Map<String, Object>> statuses, Map<String, String> errors) {
        this.mesh = mesh;
        this.statuses = statuses;
        this.errors = errors;
    }

    Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("router", mesh.self().id());
        out.put("gatheredAt", Instant.now().toString());
        out.put("meshAt", mesh.at().toString());
        out.put("sites", sites());
        out.put("routers", routers());
        out.put("links", links());
        out.put("services", services());
        return out;
    }

    private String siteOf(MeshSnapshot.KnownRouter r) {
        Map<String, Object> status = statuses.get(r.id());
        return status != null && status.get("site") instanceof String s ? s : r.site();
    }

    private List<Map<String, Object>> sites() {
        Map<String, List<String>> bySite = new TreeMap<>();
        for (MeshSnapshot.KnownRouter r : mesh.routers()) {
            String site = siteOf(r);
            bySite.computeIfAbsent(site == null ? "(unknown)" : site, s -> new ArrayList<>()).add(r.id());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        bySite.forEach((site, routers) -> out.add(entry("name", site, "routers", routers)));
        return out;
    }

    private List<Map<String, Object>> routers() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MeshSnapshot.KnownRouter r : mesh.routers()) {
            Map<String, Object> e = entry("id", r.id(), "site", siteOf(r), "mode", r.mode(), "cost", r.cost(),
                "answered", statuses.containsKey(r.id()));
            if (errors.containsKey(r.id())) {
                e.put("error", errors.get(r.id()));
            }
            e.put("status", statuses.get(r.id()));
            out.add(e);
        }
        return out;
    }

    /**
     * Every link both of whose ends can be reached: an inter-router link once, when both ends list
     * it (as routing counts it), at the higher of the two costs; an edge router's uplink from the edge.
     */
    private List<Map<String, Object>> links() {
        Map<String, MeshSnapshot.KnownRouter> byId = new LinkedHashMap<>();
        mesh.routers().forEach(r -> byId.put(r.id(), r));
        Set<String> uplinked = new HashSet<>();
        List<Map<String, Object>> out = new ArrayList<>();
        for (MeshSnapshot.KnownRouter r : mesh.routers()) {
            r.links().forEach((otherId, cost) -> {
                MeshSnapshot.KnownRouter other = byId.get(otherId);
                if (other == null) {
                    return;
                }
                if (isEdge(r) || isEdge(other)) {
                    MeshSnapshot.KnownRouter edge = isEdge(r) ? r : other;
                    if (uplinked.add(edge.id())) {
                        out.add(link(edge, edge == r ? other : r, "edge", cost));
                    }
                    return;
                }
                Integer back = other.links().get(r.id());
                if (back != null && r.id().compareTo(otherId) < 0) {
                    out.add(link(r, other, "inter-router", Math.max(cost, back)));
                }
            });
        }
        return out;
    }

    private static boolean isEdge(MeshSnapshot.KnownRouter r) {
        return r.mode().equals("edge");
    }

    private Map<String, Object> link(MeshSnapshot.KnownRouter from, MeshSnapshot.KnownRouter to, String kind, int cost) {
        Map<String, Object> l = entry("from", from.id(), "fromSite", siteOf(from), "to", to.id(), "toSite", siteOf(to),
            "kind", kind, "cost", cost);
        traffic(l, from.id(), to.id());
        return l;
    }

    /** The link's traffic as counted at one of its ends (the {@code from} router when it answered). */
    private void traffic(Map<String, Object> link, String from, String to) {
        Map<String, Object> peer = peerOf(from, to);
        if (peer == null) {
            peer = peerOf(to, from);
        }
        long bytes = peer == null ? 0 : number(peer.get("bytesIn")) + number(peer.get("bytesOut"));
        long deliveries = peer == null ? 0 : number(peer.get("deliveriesIn")) + number(peer.get("deliveriesOut"));
        link.put("bytes", bytes);
        link.put("deliveries", deliveries);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> peerOf(String router, String peer) {
        Map<String, Object> status = statuses.get(router);
        if (status == null || !(status.get("peers") instanceof List<?> peers)) {
            return null;
        }
        for (Object p : peers) {
            if (p instanceof Map<?, ?> m && peer.equals(m.get("router"))) {
                return (Map<String, Object>) m;
            }
        }
        return null;
    }

    /**
     * Every address with a consumer, a producer, a listener or a connector somewhere: where it is
     * consumed (client consumers, connectors), produced (client producers) and exposed (listeners).
     */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> services() {
        Map<String, Map<String, Object>> byAddress = new TreeMap<>();
        for (MeshSnapshot.KnownRouter r : mesh.routers()) {
            String site = siteOf(r);
            Map<String, Object> status = statuses.get(r.id());
            if (status == null) {
                // no answer: what the mesh says this router advertises, without counts
                r.addresses().forEach(a -> list(service(byAddress, a, null), "consumers")
                    .add(entry("router", r.id(), "site", site, "count", null)));
                continue;
            }
            for (Object o : (List<Object>) status.getOrDefault("addresses", List.of())) {
                Map<String, Object> a = (Map<String, Object>) o;
                String name = String.valueOf(a.get("name"));
                long consumers = number(a.get("localConsumers"));
                long producers = number(a.get("producers"));
                if (consumers > 0) {
                    list(service(byAddress, name, a.get("distribution")), "consumers")
                        .add(entry("router", r.id(), "site", site, "count", consumers));
                }
                if (producers > 0) {
                    list(service(byAddress, name, a.get("distribution")), "producers")
                        .add(entry("router", r.id(), "site", site, "count", producers));
                }
            }
            for (Object o : (List<Object>) status.getOrDefault("adaptors", List.of())) {
                Map<String, Object> a = (Map<String, Object>) o;
                if (!(a.get("routingKey") instanceof String key)) {
                    continue;
                }
                String type = String.valueOf(a.get("type"));
                Map<String, Object> e = entry("router", r.id(), "site", site, "type", type, "name", a.get("name"),
                    "host", a.get("host"), "port", a.get("port"), "reachable", a.get("reachable"));
                list(service(byAddress, key, null), type.endsWith("Listener") ? "listeners" : "connectors").add(e);
            }
        }
        return new ArrayList<>(byAddress.values());
    }

    private static Map<String, Object> service(Map<String, Map<String, Object>> byAddress, String address, Object distribution) {
        Map<String, Object> s = byAddress.computeIfAbsent(address, a -> entry("address", a, "distribution", null,
            "consumers", new ArrayList<>(), "producers", new ArrayList<>(), "listeners", new ArrayList<>(),
            "connectors", new ArrayList<>()));
        if (s.get("distribution") == null && distribution != null) {
            s.put("distribution", distribution);
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> service, String key) {
        return (List<Object>) service.get(key);
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    private static Map<String, Object> entry(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
