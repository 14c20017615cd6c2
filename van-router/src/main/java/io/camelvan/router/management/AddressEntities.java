package io.camelvan.router.management;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelvan.router.core.Address;
import io.camelvan.router.core.Consumer;
import io.camelvan.router.core.RouterCore;

/** The {@code address} entities: every address the router knows, its consumers and counters. */
public final class AddressEntities implements ManagedType {

    private final RouterCore core;

    public AddressEntities(RouterCore core) {
        this.core = core;
    }

    @Override
    public List<Map<String, Object>> query() {
        List<Map<String, Object>> out = new ArrayList<>();
        core.addresses().all().stream().sorted(Comparator.comparing(Address::name)).forEach(a -> {
            Map<String, Object> e = new LinkedHashMap<>();
            List<String> routers = new ArrayList<>();
            for (Consumer c : a.consumers()) {
                if (c.routerId() != null) {
                    routers.add(c.routerId());
                }
            }
            e.put("name", a.name());
            e.put("distribution", a.distribution().yamlName());
            e.put("localConsumers", a.localConsumers());
            e.put("remoteRouters", routers);
            e.put("deliveriesIn", a.metrics().in());
            e.put("deliveriesOut", a.metrics().out());
            e.put("accepted", a.metrics().accepted());
            e.put("released", a.metrics().released());
            e.put("rejected", a.metrics().rejected());
            e.put("modified", a.metrics().modified());
            out.add(e);
        });
        return out;
    }
}
