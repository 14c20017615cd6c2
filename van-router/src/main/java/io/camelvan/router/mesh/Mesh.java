package io.camelvan.router.mesh;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.amqp.AmqpConnection;
import io.camelvan.router.amqp.PeerConnector;
import io.camelvan.router.amqp.PeerInfo;
import io.camelvan.router.config.ListenerRole;
import io.camelvan.router.config.RouterMode;
import io.camelvan.router.core.Address;
import io.camelvan.router.core.RouterCore;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * This router's part in the network. Connections to other routers are handed to it once open; the
 * routing protocol runs on a thread of its own (the control thread), and its results are published
 * to forwarding as immutable snapshots: the {@link io.camelvan.router.core.Topology} and the remote
 * consumers of each address. An interior router takes part in the link state; an edge router only
 * talks to its one interior router.
 */
public abstract class Mesh implements PeerConnector, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Mesh.class);
    /** How long a starting router waits at most before it counts as joined, whatever it knows by then. */
    static final long JOIN_CAP_MS = 10_000;
    /** How long the routing protocol must bring nothing new before a router whose links are up has joined. */
    static final long JOIN_QUIET_MS = 500;

    protected final RouterCore core;
    protected final EventExecutor control;
    /** Remote consumers registered in the address table: address → router → consumer. */
    private final Map<String, Map<String, RemoteConsumer>> registered = new HashMap<>();
    private ScheduledFuture<?> ticker;
    /** Every open connection to another router, for revocation. */
    private final Set<PeerLink> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile MeshSnapshot snapshot;
    /** When the control thread last learnt something of the network or computed routes. */
    private long lastNewsNanos = System.nanoTime();
    /** While the router has not joined its network: whether every configured link is connected. */
    private BooleanSupplier linksConnected;
    private long joinStartNanos;
    private ScheduledFuture<?> joinCheck;
    private ScheduledFuture<?> joinCap;

    protected Mesh(RouterCore core) {
        this.core = core;
        this.snapshot = new MeshSnapshot(Instant.now(), List.of(new MeshSnapshot.KnownRouter(
            core.routerId(), core.site(), core.mode().yamlName(), 0, Map.of(), List.of(), List.of())));
        this.control = new DefaultEventExecutor(new io.netty.util.concurrent.DefaultThreadFactory(
            "van-" + core.routerId() + "-mesh", true));
    }

    /** The mesh for this router's mode, started. */
    public static Mesh start(RouterCore core) {
        Mesh mesh = core.mode() == RouterMode.EDGE ? new EdgeMesh(core) : new InteriorMesh(core);
        core.addresses().localConsumerListener((address, present) -> {
            if (RouterCore.isAdvertised(address)) {
                mesh.control.execute(() -> mesh.localConsumersChanged(address, present));
            }
        });
        mesh.ticker = mesh.control.scheduleAtFixedRate(mesh::tick, mesh.tickMillis(), mesh.tickMillis(),
            TimeUnit.MILLISECONDS);
        return mesh;
    }

    String routerId() {
        return core.routerId();
    }

    // ----- PeerConnector, on the connection's event loop

    @Override
    public final PeerSession opened(AmqpConnection connection, PeerInfo peer) {
        String refusal = refusal(connection.settings().role(), peer);
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
        PeerLink link = new PeerLink(connection, peer, this);
        link.start();
        open.add(link);
        control.execute(() -> linkOpened(link));
        return link;
    }

    private String refusal(ListenerRole role, PeerInfo peer) {
        if (peer.routerId().equals(core.routerId())) {
            return "the peer has this router's own id '" + peer.routerId() + "': router ids must be unique";
        }
        if (role == ListenerRole.INTER_ROUTER && (core.mode() != RouterMode.INTERIOR || peer.mode() != RouterMode.INTERIOR)) {
            return "inter-router connections join interior routers; router '" + peer.routerId() + "' is "
                + peer.mode().yamlName() + " and this one is " + core.mode().yamlName();
        }
        if (role == ListenerRole.EDGE && core.mode() == peer.mode()) {
            return "an edge connection joins an edge router to an interior one; both are " + peer.mode().yamlName();
        }
        return null;
    }

    /** Called by a link's connection when it closes. */
    void linkClosed(PeerLink link) {
        open.remove(link);
        control.execute(() -> linkLost(link));
    }

    /**
     * Closes the connections of routers whose TLS certificate is now refused (revoked): the check
     * of new handshakes does not reach connections already open.
     */
    public void closeRevoked(java.util.function.Predicate<java.security.cert.X509Certificate> revoked) {
        for (PeerLink link : open) {
            java.security.cert.X509Certificate cert = link.connection().channel()
                .attr(io.camelvan.router.pki.PeerCheckHandler.PEER_CERTIFICATE).get();
            if (cert != null && revoked.test(cert)) {
                LOG.warn("[{}] closing the connection of router '{}': its certificate (serial {}) has been revoked",
                    routerId(), link.peer().routerId(), cert.getSerialNumber().toString(16));
                link.connection().close(new org.apache.qpid.protonj2.types.transport.ErrorCondition(
                    org.apache.qpid.protonj2.types.transport.AmqpError.UNAUTHORIZED_ACCESS, "certificate revoked"));
            }
        }
    }

    /** A control message arrived; hops to the control thread. */
    void received(PeerLink link, ControlMessage message) {
        control.execute(() -> {
            try {
                handle(link, message);
            } catch (RuntimeException e) {
                LOG.warn("[{}] could not apply {} from router '{}': {}", routerId(), message.opcode(),
                    link.peer().routerId(), e.toString());
            }
        });
    }

    // ----- what each kind of mesh does, all on the control thread

    protected abstract void linkOpened(PeerLink link);

    protected abstract void linkLost(PeerLink link);

    protected abstract void handle(PeerLink link, ControlMessage message);

    protected abstract void localConsumersChanged(String address, boolean present);

    protected abstract void tick();

    protected abstract long tickMillis();

    /** Whether another router is up as a neighbour (an edge router's: its uplink). On the control thread. */
    protected abstract boolean hasNeighbour();

    /** Whether a route computation is due and has not run yet. On the control thread. */
    protected abstract boolean computationPending();

    /** The control thread learnt something of the network, or computed routes: it is not settled yet. */
    protected void news() {
        lastNewsNanos = System.nanoTime();
        if (linksConnected != null && joinCheck == null) {
            checkJoinIn(JOIN_QUIET_MS);
        }
    }

    /**
     * Tells the core when this router has joined its network: once a neighbour is up, every link
     * it dials is connected, and the routing protocol has brought nothing new for
     * {@link #JOIN_QUIET_MS} with no route computation due; or, whatever it knows by then,
     * {@link #JOIN_CAP_MS} after this call (a router nobody dials yet, a link whose peer is down).
     * Checked after news only, not polled: a network of many routers starting in one JVM would
     * otherwise wake every control thread ten times a second.
     *
     * @param linksConnected whether every configured link is connected; called on the control thread
     */
    public void awaitJoin(BooleanSupplier linksConnected) {
        control.execute(() -> {
            this.linksConnected = linksConnected;
            joinStartNanos = System.nanoTime();
            joinCap = control.schedule(() -> joined("not every link up and settled after " + msSince(joinStartNanos)
                + " ms; going on with the routes known"), JOIN_CAP_MS, TimeUnit.MILLISECONDS);
            checkJoinIn(JOIN_QUIET_MS);
        });
    }

    private void checkJoinIn(long ms) {
        joinCheck = control.schedule(this::checkJoin, ms, TimeUnit.MILLISECONDS);
    }

    private void checkJoin() {
        joinCheck = null;
        if (linksConnected == null) {
            return;
        }
        long quietMs = msSince(lastNewsNanos);
        if (quietMs < JOIN_QUIET_MS) {
            checkJoinIn(JOIN_QUIET_MS - quietMs);
        } else if (hasNeighbour() && linksConnected.getAsBoolean() && !computationPending()) {
            joined("links up and routes settled after " + msSince(joinStartNanos) + " ms");
        }
        // else the news that a neighbour came up, or a link connected, checks again
    }

    private void joined(String how) {
        linksConnected = null;
        joinCap.cancel(false);
        if (joinCheck != null) {
            joinCheck.cancel(false);
            joinCheck = null;
        }
        core.join().joined(how);
    }

    private static long msSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    /** The network as this router knows it now; safe from any thread. */
    public MeshSnapshot snapshot() {
        return snapshot;
    }

    /** Publishes what the control thread has just computed. */
    protected void publish(MeshSnapshot next) {
        snapshot = next;
    }

    /** The routes now: next hops and costs. */
    public abstract RoutingView routes();

    /** Next hops and costs, as forwarding and balancing read them. */
    public interface RoutingView extends io.camelvan.router.core.Topology {
        /** Path cost to a router, or -1 when it cannot be reached. */
        int cost(String routerId);
    }

    /**
     * Makes the address table show exactly these remote consumers: address → routers with
     * consumers for it (and whether each is an edge attached here). Adds and removes only the difference.
     */
    protected void registerRemoteConsumers(Map<String, Map<String, RemoteConsumer.Kind>> wanted) {
        for (var it = registered.entrySet().iterator(); it.hasNext();) {
            var entry = it.next();
            Map<String, RemoteConsumer.Kind> want = wanted.getOrDefault(entry.getKey(), Map.of());
            for (var rit = entry.getValue().entrySet().iterator(); rit.hasNext();) {
                var r = rit.next();
                if (want.get(r.getKey()) != r.getValue().kind()) {
                    unregister(entry.getKey(), r.getValue());
                    rit.remove();
                }
            }
            if (entry.getValue().isEmpty()) {
                it.remove();
            }
        }
        wanted.forEach((address, routers) -> routers.forEach((router, kind) -> {
            Map<String, RemoteConsumer> have = registered.computeIfAbsent(address, a -> new HashMap<>());
            if (!have.containsKey(router)) {
                RemoteConsumer consumer = new RemoteConsumer(router, this, kind);
                have.put(router, consumer);
                core.addresses().acquire(address).addConsumer(consumer);
            }
        }));
    }

    private void unregister(String address, RemoteConsumer consumer) {
        Address entry = core.addresses().lookup(address);
        if (entry != null) {
            entry.removeConsumer(consumer);
            core.addresses().release(entry);
        }
    }

    /** The addresses with remote consumers registered here, and on which routers. */
    protected Set<String> registeredAddresses() {
        return registered.keySet();
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.cancel(false);
        }
        control.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
