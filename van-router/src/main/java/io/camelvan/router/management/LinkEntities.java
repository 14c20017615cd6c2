package io.camelvan.router.management;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelvan.router.Router;
import io.camelvan.router.amqp.PeerInfo;
import io.camelvan.router.config.LinkConfig;
import io.camelvan.router.net.LinkDialer;

/**
 * The {@code link} entities: this router's outgoing links to other routers, with their state.
 * Created, changed and deleted through the site file (so changes survive a restart) and applied
 * at once: a changed link is dialled again. A link needs a TLS profile the site already has
 * (written by {@code token redeem} or {@code link create}); deleting a link leaves its profile and
 * certificate files in place.
 */
public final class LinkEntities implements ManagedType {

    private static final String[] ATTRIBUTES = {"name", "host", "port", "cost", "tls"};

    private final Router router;

    public LinkEntities(Router router) {
        this.router = router;
    }

    @Override
    public List<Map<String, Object>> query() {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, LinkDialer> dialers = router.links();
        for (LinkConfig l : router.config().links()) {
            out.add(entity(l, dialers.get(l.name())));
        }
        return out;
    }

    static Map<String, Object> entity(LinkConfig l, LinkDialer dialer) {
        PeerInfo peer = dialer == null ? null : dialer.peer();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", l.name());
        e.put("host", l.host());
        e.put("port", l.port());
        e.put("cost", l.cost());
        e.put("tls", l.tls());
        e.put("state", peer != null ? "up" : dialer != null && dialer.isConnected() ? "connecting" : "down");
        e.put("connected", peer != null);
        e.put("peerRouter", peer == null ? null : peer.routerId());
        e.put("peerSite", peer == null ? null : peer.site());
        return e;
    }

    @Override
    public Map<String, Object> create(String name, Map<String, Object> attributes) {
        Attributes a = new Attributes(attributes);
        a.onlyKnown("link", ATTRIBUTES);
        if (find(name) != null) {
            throw ManagementException.conflict("there is already a link named '" + name + "'");
        }
        LinkConfig link = new LinkConfig(name, a.requiredString("host"), a.integer("port", null), a.integer("cost", null),
            a.requiredString("tls"));
        if (link.port() == null) {
            throw ManagementException.badRequest("attribute 'port' is required");
        }
        SiteChanges.apply(router, editor -> editor.addLink(link));
        return read(name);
    }

    @Override
    public Map<String, Object> update(String name, Map<String, Object> attributes) {
        LinkConfig old = find(name);
        if (old == null) {
            throw ManagementException.notFound("link '" + name + "'");
        }
        Attributes a = new Attributes(attributes);
        a.onlyKnown("link", ATTRIBUTES);
        if (a.has("name") && !name.equals(a.string("name", name))) {
            throw ManagementException.badRequest("a link cannot be renamed; delete it and create it anew");
        }
        LinkConfig changed = new LinkConfig(name, a.string("host", old.host()), a.integer("port", old.port()),
            a.integer("cost", old.cost()), a.string("tls", old.tls()));
        SiteChanges.apply(router, editor -> editor.replaceLink(changed));
        return read(name);
    }

    @Override
    public void delete(String name) {
        if (find(name) == null) {
            throw ManagementException.notFound("link '" + name + "'");
        }
        SiteChanges.apply(router, editor -> editor.removeLink(name));
    }

    private LinkConfig find(String name) {
        return router.config().links().stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
    }
}
