package io.camelvan.router.management;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.camelvan.router.Router;
import io.camelvan.router.config.ListenerConfig;
import io.camelvan.router.core.Address;
import io.camelvan.router.core.PeerTraffic;
import io.camelvan.router.core.RouterCore;
import io.camelvan.router.mesh.MeshSnapshot;

/**
 * The {@code router} entity: the status of this router, as {@code van-router status} prints it and
 * as the network view gathers it from every router. One entity, named by the router id. Its
 * content is described in docs/management.md.
 */
public final class RouterEntities implements ManagedType {

    /** The adaptors' management types, whose entities status lists under {@code adaptors}. */
    static final List<String> ADAPTOR_TYPES = List.of("tcpListener", "tcpConnector", "httpListener", "httpConnector");

    private final Router router;
    private final ManagementEndpoint endpoint;

    public RouterEntities(Router router, ManagementEndpoint endpoint) {
        this.router = router;
        this.endpoint = endpoint;
    }

    @Override
    public List<Map<String, Object>> query() {
        return List.of(status());
    }

    @Override
    public Map<String, Object> read(String name) {
        if (!name.equals(router.core().routerId())) {
            throw ManagementException.notFound("router '" + name + "' (this is router '" + router.core().routerId()
                + "'; ask _van/" + name + "/$management)");
        }
        return status();
    }

    /** This router's status now. Call on the management thread. */
    Map<String, Object> status() {
        RouterCore core = router.core();
        MeshSnapshot mesh = router.mesh().snapshot();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", core.routerId());
        s.put("site", core.site());
        s.put("mode", core.mode().yamlName());
        s.put("version", Router.version());
        s.put("startedAt", Instant.ofEpochMilli(core.instance()).toString());
        s.put("uptimeSeconds", (System.currentTimeMillis() - core.instance()) / 1000);
        s.put("links", new LinkEntities(router).query());
        s.put("peers", peers(core, mesh));
        s.put("listeners", listeners());
        s.put("addresses", AddressEntities.advertised(core));
        s.put("adaptors", adaptors(core));
        return s;
    }

    /** The routers connected to this one now, either way, with the traffic exchanged since start. */
    private static List<Map<String, Object>> peers(RouterCore core, MeshSnapshot mesh) {
        List<Map<String, Object>> out = new ArrayList<>();
        new TreeMap<>(core.peerTraffic()).forEach((id, t) -> {
            if (t.openConnections() == 0) {
                return;
            }
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("router", id);
            p.put("site", t.site());
            p.put("mode", mesh.router(id).map(MeshSnapshot.KnownRouter::mode).orElse(null));
            p.put("cost", t.cost());
            p.put("connections", t.openConnections());
            traffic(p, t);
            out.add(p);
        });
        return out;
    }

    static void traffic(Map<String, Object> p, PeerTraffic t) {
        p.put("bytesIn", t.bytesIn());
        p.put("bytesOut", t.bytesOut());
        p.put("deliveriesIn", t.deliveriesIn());
        p.put("deliveriesOut", t.deliveriesOut());
    }

    private List<Map<String, Object>> listeners() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ListenerConfig l : router.config().listeners()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", l.name());
            e.put("host", l.host());
            e.put("port", router.port(l.name()));
            e.put("role", l.role().yamlName());
            e.put("tls", l.tls() != null);
            out.add(e);
        }
        return out;
    }

    /**
     * The TCP and HTTP listeners and connectors, as their own management types describe them, each
     * with its type; a listener also says whether some server of its routing key can be reached.
     */
    private List<Map<String, Object>> adaptors(RouterCore core) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String type : ADAPTOR_TYPES) {
            List<Map<String, Object>> entities = endpoint.queryHere(type);
            if (entities == null) {
                continue;
            }
            for (Map<String, Object> entity : entities) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("type", type);
                e.putAll(entity);
                if (type.endsWith("Listener") && entity.get("routingKey") instanceof String key) {
                    Address a = core.addresses().lookup(key);
                    e.put("reachable", a != null && a.isReachable());
                }
                out.add(e);
            }
        }
        return out;
    }
}
