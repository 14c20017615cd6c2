package io.camelvan.router;

import java.nio.file.Files;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.amqp.AuthFailureLimiter;
import io.camelvan.router.adaptor.AdaptorContext;
import io.camelvan.router.adaptor.Adaptors;
import io.camelvan.router.adaptor.ServiceEntities;
import io.camelvan.router.amqp.SaslAuthenticator;
import io.camelvan.router.config.ConfigEditor;
import io.camelvan.router.config.ConfigWatcher;
import io.camelvan.router.config.LinkConfig;
import io.camelvan.router.config.ListenerConfig;
import io.camelvan.router.config.ListenerRole;
import io.camelvan.router.config.ServiceType;
import io.camelvan.router.config.SiteConfig;
import io.camelvan.router.core.AddressSettings;
import io.camelvan.router.core.RouterCore;
import io.camelvan.router.management.AddressEntities;
import io.camelvan.router.management.AddressSettingEntities;
import io.camelvan.router.management.AdminServer;
import io.camelvan.router.management.FlowEntities;
import io.camelvan.router.management.FlowLog;
import io.camelvan.router.management.FlowRecorder;
import io.camelvan.router.management.GrantEndpoint;
import io.camelvan.router.management.GrantService;
import io.camelvan.router.management.LinkEntities;
import io.camelvan.router.management.ManagementEndpoint;
import io.camelvan.router.management.NetworkEntities;
import io.camelvan.router.management.NetworkFlowEntities;
import io.camelvan.router.management.PrometheusMetrics;
import io.camelvan.router.management.RouterEntities;
import io.camelvan.router.management.RouterQueries;
import io.camelvan.router.management.SiteChanges;
import io.camelvan.router.mesh.Mesh;
import io.camelvan.router.net.AmqpListener;
import io.camelvan.router.net.LinkDialer;
import io.camelvan.router.net.EventLoops;
import io.camelvan.router.net.SiteTls;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

/**
 * A running router: the event loops, its listeners and admin port around one {@link RouterCore}.
 * Start it from a checked {@link SiteConfig}; close it to stop (connections are closed, their
 * deliveries settled back to their senders).
 */
public final class Router implements SiteChanges, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    /** How often the site file and the revocation list are looked at for changes. */
    private static final long WATCH_INTERVAL_MS = 1000;

    private volatile SiteConfig config;
    private final RouterCore core;
    private final EventLoops loops;
    private final Map<String, AmqpListener> listeners = new LinkedHashMap<>();
    private final Map<String, LinkDialer> links = new LinkedHashMap<>();
    private Mesh mesh;
    private Adaptors adaptors;
    private SiteTls tls;
    private AdminServer admin;
    private volatile GrantService grants;
    private ManagementEndpoint management;
    private RouterQueries queries;
    private final FlowLog flows = new FlowLog();
    private EventExecutor managementThread;
    private ScheduledFuture<?> watching;

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
        tls = new SiteTls(config);
        mesh = Mesh.start(core);
        grants = grantService(config);
        AuthFailureLimiter authFailures = new AuthFailureLimiter(Clock.systemUTC());
        for (ListenerConfig l : config.listeners()) {
            SaslAuthenticator auth = new SaslAuthenticator(l, config.users(), core.metrics(), authFailures);
            listeners.put(l.name(), new AmqpListener(l, core, auth, tls.server(l), mesh, this::installGrantEndpoint, loops));
        }
        updateLinks(config.links());
        if (config.links().isEmpty() && config.listeners().stream().allMatch(l -> l.role() == ListenerRole.NORMAL)) {
            core.join().joined("it has no links and no inter-router or edge listener");
        } else {
            mesh.awaitJoin(() -> links().values().stream().allMatch(LinkDialer::isConnected));
        }
        managementThread = new DefaultEventExecutor(new DefaultThreadFactory("van-" + core.routerId() + "-mgmt", true));
        management = new ManagementEndpoint(core, managementThread);
        queries = new RouterQueries(core, managementThread);
        RouterEntities status = new RouterEntities(this, management);
        FlowEntities flowEntities = new FlowEntities(flows);
        management.register("address", new AddressEntities(core));
        management.register("addressSetting", new AddressSettingEntities(this));
        management.register("link", new LinkEntities(this));
        management.register("router", status);
        management.register("flow", flowEntities);
        management.register("network", new NetworkEntities(core, mesh, status, queries));
        management.register("networkFlow", new NetworkFlowEntities(core, mesh, flowEntities, queries));
        adaptors = new Adaptors(new AdaptorContext(core, loops, flows));
        for (ServiceType type : ServiceType.values()) {
            management.register(type.managementType(), new ServiceEntities(adaptors, type));
        }
        adaptors.start(config);
        if (config.admin() != null) {
            admin = new AdminServer(config.admin(), core, loops,
                new PrometheusMetrics(core, mesh::snapshot, flows, version()), management);
        }
        if (config.file() != null) {
            ConfigWatcher watcher = new ConfigWatcher(config.file(), this::apply);
            // on the management thread, never an event loop: applying a change binds and closes sockets and waits
            // for the loops to do it, and management requests that change adaptors run there too, one at a time
            watching = managementThread.scheduleWithFixedDelay(() -> {
                watcher.check();
                checkRevocations();
            }, WATCH_INTERVAL_MS, WATCH_INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
        LOG.info("[{}] router of site '{}' is up ({} mode, {} threads)", core.routerId(), config.site(),
            config.router().mode().yamlName(), config.router().threads());
    }

    public RouterCore core() {
        return core;
    }

    @Override
    public SiteConfig config() {
        return config;
    }

    /** The router's version, from the jar's manifest; "development" when run from classes. */
    public static String version() {
        String version = Router.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    /**
     * Where the TCP and HTTP adaptors report their flows: the records management and the admin API
     * show, and the flow metrics.
     */
    public FlowRecorder flowRecorder() {
        return flows;
    }

    @Override
    public synchronized SiteConfig change(UnaryOperator<ConfigEditor> edit) {
        if (config.file() == null) {
            throw new IllegalStateException("router '" + core.routerId()
                + "' runs without a site file: change its configuration where it comes from, and restart it");
        }
        SiteConfig next = edit.apply(ConfigEditor.open(config.file())).save();
        applyAddressSettings(next);
        // links are left to the file watcher (within WATCH_INTERVAL_MS): by then the reply to the
        // request has gone out, even when the request came over the link that changes
        config = next;
        return next;
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

    /** The grant endpoint of a site that has its CA here; null otherwise (tokens cannot be redeemed here). */
    private GrantService grantService(SiteConfig site) {
        if (site.file() == null || !Files.exists(site.resolve("certs/ca.key"))) {
            return null;
        }
        try {
            return GrantService.forSite(site);
        } catch (RuntimeException e) {
            LOG.info("[{}] this site can link out but not redeem tokens: {}", core.routerId(), e.getMessage());
            return null;
        }
    }

    private void installGrantEndpoint(ChannelPipeline pipeline) {
        GrantService service = grants;
        if (service == null) {
            pipeline.close();
        } else {
            GrantEndpoint.install(pipeline, service);
        }
    }

    /**
     * A changed site file: links and services come and go, address settings apply to addresses
     * created from now on; listeners and the rest need a restart.
     */
    private synchronized void apply(SiteConfig next) {
        if (!next.listeners().equals(config.listeners())) {
            LOG.warn("[{}] listener changes in the site file take effect at the next restart", core.routerId());
        }
        applyAddressSettings(next);
        if (!next.tls().equals(config.tls())) {
            tls = new SiteTls(next);
        }
        adaptors.apply(config, next);
        config = next;
        grants = grantService(next);
        updateLinks(next.links());
    }

    private void applyAddressSettings(SiteConfig next) {
        if (!next.addresses().equals(config.addresses())) {
            core.addresses().settings(new AddressSettings(next.addresses()));
            LOG.info("[{}] address settings changed; they apply to addresses created from now on", core.routerId());
        }
    }

    private void checkRevocations() {
        if (tls.revocations().reloadIfChanged()) {
            mesh.closeRevoked(cert -> tls.revocations().isRevoked(cert.getSerialNumber()));
        }
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

    /** The management endpoint, where each part of the router registers what it lets be managed. */
    public ManagementEndpoint management() {
        return management;
    }

    /** The TCP and HTTP listeners and connectors running now. */
    public Adaptors adaptors() {
        return adaptors;
    }

    /** The outgoing links and whether each is connected now. */
    public synchronized Map<String, LinkDialer> links() {
        return Map.copyOf(links);
    }

    @Override
    public void close() {
        if (watching != null) {
            watching.cancel(false);
        }
        if (queries != null) {
            queries.close();
        }
        if (management != null) {
            management.close();
            managementThread.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        if (adaptors != null) {
            adaptors.close();
        }
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
