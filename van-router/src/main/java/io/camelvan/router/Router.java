package io.camelvan.router;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.amqp.SaslAuthenticator;
import io.camelvan.router.config.LinkConfig;
import io.camelvan.router.config.ListenerConfig;
import io.camelvan.router.config.SiteConfig;
import io.camelvan.router.core.AddressSettings;
import io.camelvan.router.core.RouterCore;
import io.camelvan.router.management.AdminServer;
import io.camelvan.router.mesh.Mesh;
import io.camelvan.router.net.AmqpListener;
import io.camelvan.router.net.LinkDialer;
import io.camelvan.router.net.EventLoops;
import io.camelvan.router.net.SiteTls;

/**
 * A running router: the event loops, its listeners and admin port around one {@link RouterCore}.
 * Start it from a checked {@link SiteConfig}; close it to stop (connections are closed, their
 * deliveries settled back to their senders).
 */
public final class Router implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final SiteConfig config;
    private final RouterCore core;
    private final EventLoops loops;
    private final Map<String, AmqpListener> listeners = new LinkedHashMap<>();
    private final Map<String, LinkDialer> links = new LinkedHashMap<>();
    private Mesh mesh;
    private SiteTls tls;
    private AdminServer admin;

    private Router(SiteConfig config) {
        this.config = config;
        this.core = new RouterCore(config.routerId(), config.site(), config.router().mode(),
            new AddressSettings(config.addresses()), config.router().linkCapacity());
        this.loops = new EventLoops(config.routerId(), config.router().threads());
    }

    /** Starts a router; if any part cannot start, what did start is stopped again and the error thrown. */
    public static Router start(SiteConfig config) {
        Router router = new Router(config);
        try {
            router.startParts();
        } catch (RuntimeException e) {
            router.close();
            throw e;
        }
        return router;
    }

    private void startParts() {
        SiteTls tls = new SiteTls(config);
        mesh = Mesh.start(core);
        for (ListenerConfig l : config.listeners()) {
            SaslAuthenticator auth = new SaslAuthenticator(l, config.users(), core.metrics());
            listeners.put(l.name(), new AmqpListener(l, core, auth, tls.server(l), mesh, loops));
        }
        this.tls = tls;
        updateLinks(config.links());
        if (config.admin() != null) {
            admin = new AdminServer(config.admin(), core, loops);
        }
        LOG.info("[{}] router of site '{}' is up ({} mode, {} threads)", core.routerId(), config.site(),
            config.router().mode().yamlName(), config.router().threads());
    }

    public RouterCore core() {
        return core;
    }

    public SiteConfig config() {
        return config;
    }

    /** The port a listener is bound to (useful with port 0). */
    public int port(String listenerName) {
        AmqpListener l = listeners.get(listenerName);
        if (l == null) {
            throw new IllegalArgumentException("no listener named '" + listenerName + "'");
        }
        return l.port();
    }

    /** The admin HTTP port, or -1 when there is none. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    /**
     * Makes the router's outgoing links these: dials new ones, hangs up removed or changed ones.
     * A link's TLS profile must be among the site's profiles.
     */
    public synchronized void updateLinks(List<LinkConfig> wanted) {
        Map<String, LinkConfig> byName = new LinkedHashMap<>();
        wanted.forEach(l -> byName.put(l.name(), l));
        for (var it = links.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (!e.getValue().config().equals(byName.get(e.getKey()))) {
                LOG.info("[{}] link '{}' removed", core.routerId(), e.getKey());
                e.getValue().close();
                it.remove();
            }
        }
        byName.forEach((name, l) -> {
            if (!links.containsKey(name)) {
                LinkDialer dialer = new LinkDialer(l, core, tls, mesh, loops);
                links.put(name, dialer);
                dialer.start();
            }
        });
    }

    /** The mesh this router takes part in. */
    public Mesh mesh() {
        return mesh;
    }

    @Override
    public void close() {
        links.values().forEach(LinkDialer::close);
        listeners.values().forEach(AmqpListener::close);
        if (mesh != null) {
            mesh.close();
        }
        if (admin != null) {
            admin.close();
        }
        loops.close();
        LOG.info("[{}] router stopped", core.routerId());
    }
}
