package io.camelvan.router.management;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelvan.router.Router;
import io.camelvan.router.config.LinkConfig;

/** The {@code link} entities: this router's outgoing links to other routers, and whether each is up. */
public final class LinkEntities implements ManagedType {

    private final Router router;

    public LinkEntities(Router router) {
        this.router = router;
    }

    @Override
    public List<Map<String, Object>> query() {
        List<Map<String, Object>> out = new ArrayList<>();
        router.links().forEach((name, dialer) -> {
            LinkConfig l = dialer.config();
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", name);
            e.put("host", l.host());
            e.put("port", l.port());
            e.put("cost", l.cost());
            e.put("connected", dialer.isConnected());
            out.add(e);
        });
        return out;
    }
}
