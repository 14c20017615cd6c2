package io.camelvan.router.management;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelvan.router.core.Address;
import io.camelvan.router.core.AddressMetrics;
import io.camelvan.router.core.Consumer;
import io.camelvan.router.core.RouterCore;

/** The {@code address} entities: every address the router knows, its consumers, producers and counters. */
public final class AddressEntities implements ManagedType {

    private final RouterCore core;

    public AddressEntities(RouterCore core) {
        this.core = core;
    }

    @Override
    public List<Map<String, Object>> query() {
        return entities(core, false);
    }

    /** The addresses other routers hear of (not the router's own, nor {@code $management}), for status. */
    static List<Map<String, Object>> advertised(RouterCore core) {
        return entities(core, true);
    }

    private static List<Map<String, Object>> entities(RouterCore core, boolean advertisedOnly) {
        List<Map<String, Object>> out = new ArrayList<>();
        long now = System.nanoTime();
        core.addresses().all().stream()
            .filter(a -> !advertisedOnly || RouterCore.isAdvertised(a.name()))
            .sorted(Comparator.comparing(Address::name)).forEach(a -> {
                Map<String, Object> e = new LinkedHashMap<>();
                List<String> routers = new ArrayList<>();
                for (Consumer c : a.consumers()) {
                    if (c.routerId() != null) {
                        routers.add(c.routerId());
                    }
                }
                AddressMetrics m = a.metrics();
                e.put("name", a.name());
                e.put("distribution", a.distribution().yamlName());
                e.put("localConsumers", a.localConsumers());
                e.put("remoteRouters", routers);
                e.put("reachable", a.isReachable());
                e.put("producers", m.producers());
                e.put("deliveriesIn", m.in());
                e.put("deliveriesOut", m.out());
                e.put("accepted", m.accepted());
                e.put("released", m.released());
                e.put("rejected", m.rejected());
                e.put("modified", m.modified());
                e.put("creditStarvedMs", m.starvedNanos(now) / 1_000_000);
                out.add(e);
            });
        return out;
    }
}
