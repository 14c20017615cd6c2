package io.camelvan.router.mesh;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.types.transport.ConnectionError;
import org.apache.qpid.protonj2.types.transport.ErrorCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.amqp.AmqpConnection;
import io.camelvan.router.config.RouterMode;
import io.camelvan.router.core.RouterCore;

/**
 * The link-state routing protocol of an interior router, in the spirit of Qpid Dispatch's:
 * <ul>
 * <li>HELLO each second on every inter-router connection; a neighbour is up only when its hellos
 * list this router (two-way), and lost after {@link #NEIGHBOUR_TIMEOUT_MS} in which nothing came
 * in from it (plus however late this router's own threads have been of late: on a busy machine
 * its neighbours are late for the same reason), or at once when its last connection drops;</li>
 * <li>LSU: each router's links and costs (and attached edge routers), with a sequence number and
 * the router's instance, flooded to every router and stored; shortest paths are computed over them;</li>
 * <li>MAU: each router's addresses with consumers, flooded as differences with a sequence number;
 * a gap makes the receiver ask (MAR) for the whole set;</li>
 * <li>a neighbour that comes up is sent a summary of everything known (RA) and asks for what it
 * lacks (LSR, MAR), so partitions heal by themselves; every neighbour gets one again each
 * {@link #ADVERTISE_EVERY_TICKS} hellos, so an update missed for any reason is fetched later.</li>
 * </ul>
 * Routes are computed again soon after a change, and less often while changes keep coming
 * ({@link ChurnThrottle}).
 * Everything here runs on the control thread.
 */
final class InteriorMesh extends Mesh {

    private static final Logger LOG = LoggerFactory.getLogger(InteriorMesh.class);
    static final long HELLO_INTERVAL_MS = 1000;
    static final long NEIGHBOUR_TIMEOUT_MS = 3000;
    /** How long an unreachable router's state is kept before it is forgotten. */
    static final long FORGET_AFTER_MS = 60_000;
    /** Hellos between two summaries (RA) sent to every neighbour: the protocol's anti-entropy. */
    static final int ADVERTISE_EVERY_TICKS = 10;
    /**
     * How long a change of this router's links or addresses waits before it is flooded, and routes
     * wait before they are computed again: neighbours that come up together (as at start) then
     * cost one update, not one each. Small against the 2 s a lost link may take to be routed around.
     */
    static final long COALESCE_MS = 100;
    /** The longest routes wait to be computed again while updates keep coming (see {@link ChurnThrottle}). */
    static final long RECOMPUTE_MAX_HOLD_MS = 1000;
    /** The longest a change of this router's own links waits to be announced while they keep changing. */
    static final long LINK_STATE_MAX_HOLD_MS = 1000;
    /** How long a lateness of this router's own threads is remembered and allowed for in liveness. */
    static final long LAG_MEMORY_MS = 10_000;

    /** An interior router at the other end of one or more connections. */
    private static final class Neighbour {
        final List<PeerLink> links = new ArrayList<>();
        long heardAt;

        /**
         * When any of its connections last had bytes in: hellos can queue for seconds behind a
         * session window of bulk data on a busy machine, and a connection that still delivers is
         * not a cut one (closing it would cut every flow on it).
         */
        long lastRead() {
            long last = 0;
            for (PeerLink link : links) {
                last = Math.max(last, link.connection().lastReadMillis());
            }
            return last;
        }
        boolean seesUs;
        boolean up;

        PeerLink best() {
            PeerLink best = null;
            for (PeerLink l : links) {
                if (!l.isClosed() && (best == null || l.peer().cost() < best.peer().cost())) {
                    best = l;
                }
            }
            return best;
        }
    }

    /** An edge router attached to this one, and the addresses it has consumers for. */
    private static final class AttachedEdge {
        final PeerLink link;
        final Set<String> addresses = new HashSet<>();
        Set<String> reachSent = Set.of();

        AttachedEdge(PeerLink link) {
            this.link = link;
        }
    }

    private final Map<String, Neighbour> neighbours = new HashMap<>();
    private final Map<String, AttachedEdge> edges = new HashMap<>();
    private final Map<String, RouterState> db = new HashMap<>();
    private final Set<String> localAddresses = new HashSet<>();
    /** Addresses this router advertises: its own and its edges', with how many of those have it. */
    private final Map<String, Integer> advertised = new HashMap<>();
    private final Set<String> pendingAdds = new LinkedHashSet<>();
    private final Set<String> pendingDeletes = new LinkedHashSet<>();
    private long linkSeq;
    private int ticks;
    private long mobileSeq;
    private boolean mobileFlushScheduled;
    private final ChurnThrottle recomputation;
    private final ChurnThrottle linkStateAnnouncement;
    private final PendingFloods updatesToPassOn;
    private volatile RoutingTable routes = RoutingTable.EMPTY;
    private long lastTickAt = System.currentTimeMillis();
    /** The latest tick's lateness worth remembering, and when it was seen. */
    private long ownLagMs;
    private long ownLagAt;

    InteriorMesh(RouterCore core) {
        super(core);
        recomputation = new ChurnThrottle(control, this::recompute, COALESCE_MS / 2, RECOMPUTE_MAX_HOLD_MS);
        updatesToPassOn = new PendingFloods(control, this::flood);
        linkStateAnnouncement = new ChurnThrottle(control, this::announceLinkState, COALESCE_MS, LINK_STATE_MAX_HOLD_MS);
    }

    @Override
    public RoutingView routes() {
        return routes;
    }

    @Override
    protected long tickMillis() {
        return HELLO_INTERVAL_MS;
    }

    // ----- connections

    @Override
    protected void linkOpened(PeerLink link) {
        String id = link.peer().routerId();
        if (link.peer().mode() == RouterMode.EDGE) {
            AttachedEdge previous = edges.put(id, new AttachedEdge(link));
            if (previous != null) {
                LOG.warn("[{}] edge router '{}' connected again; dropping its older connection", routerId(), id);
                previous.link.connection().close(new org.apache.qpid.protonj2.types.transport.ErrorCondition(
                    org.apache.qpid.protonj2.types.transport.ConnectionError.CONNECTION_FORCED, "replaced by a newer connection"));
                previous.addresses.forEach(this::unadvertise);
            }
            LOG.info("[{}] edge router '{}' attached", routerId(), id);
            linkStateChanged();
            return;
        }
        Neighbour n = neighbours.computeIfAbsent(id, k -> new Neighbour());
        n.links.add(link);
        link.send(hello());
    }

    @Override
    protected void linkLost(PeerLink link) {
        String id = link.peer().routerId();
        AttachedEdge edge = edges.get(id);
        if (edge != null && edge.link == link) {
            edges.remove(id);
            LOG.info("[{}] edge router '{}' detached", routerId(), id);
            edge.addresses.forEach(this::unadvertise);
            linkStateChanged();
            return;
        }
        Neighbour n = neighbours.get(id);
        if (n == null) {
            return;
        }
        n.links.remove(link);
        if (n.links.isEmpty()) {
            neighbours.remove(id);
            if (n.up) {
                LOG.info("[{}] lost router '{}' (connection closed)", routerId(), id);
                linkStateChanged();
            }
        }
    }

    @Override
    protected void tick() {
        long now = System.currentTimeMillis();
        noteOwnLag(now);
        ControlMessage hello = hello();
        ControlMessage summary = ++ticks % ADVERTISE_EVERY_TICKS == 0 ? advertisement() : null;
        for (Map.Entry<String, Neighbour> e : neighbours.entrySet()) {
            Neighbour n = e.getValue();
            PeerLink link = n.best();
            if (link != null) {
                link.send(hello);
                if (summary != null && n.up) {
                    link.send(summary);
                }
                if (n.up && silentMs(n, now) > allowedSilenceMs(now)) {
                    confirmSilence(e.getKey(), n, link);
                }
            }
        }
        db.values().removeIf(st -> st.unreachableSince > 0 && now - st.unreachableSince > FORGET_AFTER_MS);
    }

    /**
     * How late this tick came: on a machine so busy that this router's own threads wait seconds
     * for a core, its neighbours' threads wait too, and their hellos are late for the same reason.
     */
    private void noteOwnLag(long now) {
        long lag = now - lastTickAt - HELLO_INTERVAL_MS;
        lastTickAt = now;
        if (lag > 0 && lag >= ownLag(now)) {
            ownLagMs = lag;
            ownLagAt = now;
        }
    }

    private long ownLag(long now) {
        return now - ownLagAt <= LAG_MEMORY_MS ? ownLagMs : 0;
    }

    /** Silence a neighbour is allowed: the timeout, plus the worst lateness of our own ticks of late. */
    private long allowedSilenceMs(long now) {
        return NEIGHBOUR_TIMEOUT_MS + ownLag(now);
    }

    /** Since when nothing came in from a neighbour: no hello, and no frame on any of its connections. */
    private static long silentMs(Neighbour n, long now) {
        return now - Math.max(n.heardAt, n.lastRead());
    }

    /**
     * The control thread has heard nothing from a neighbour for too long, but this router's own
     * event loop may just not have read what came in. So the silence is measured again on the
     * loop of the neighbour's connection when that loop gets to it, and the neighbour is lost only
     * if it was silent for longer than allowed even after taking away how late the loop was.
     */
    private void confirmSilence(String id, Neighbour n, PeerLink link) {
        List<AmqpConnection> connections = n.links.stream().map(PeerLink::connection).toList();
        long askedAt = System.currentTimeMillis();
        link.connection().execute(() -> {
            long at = System.currentTimeMillis();
            long lastRead = connections.stream().mapToLong(AmqpConnection::lastReadMillis).max().orElse(0);
            long silentOnLoopMs = at - lastRead;
            long loopLagMs = at - askedAt;
            control.execute(() -> judgeSilence(id, n, silentOnLoopMs - loopLagMs));
        });
    }

    private void judgeSilence(String id, Neighbour n, long silentMs) {
        long now = System.currentTimeMillis();
        if (neighbours.get(id) != n || !n.up || now - n.heardAt <= allowedSilenceMs(now)
                || silentMs <= allowedSilenceMs(now)) {
            return;
        }
        LOG.info("[{}] lost router '{}' (nothing heard for {} ms); closing its connections", routerId(), id, silentMs);
        n.up = false;
        n.seesUs = false;
        closeSilent(n, silentMs);
        linkStateChanged();
    }

    /**
     * A connection that brings in nothing, no hellos and no deliveries (a cut wire, a frozen peer):
     * closing it settles what it holds back to the senders now, so they are sent again on another
     * path, instead of keeping their credit until the connection's idle timeout (16 s). The link's
     * dialler connects again once the peer answers.
     */
    private static void closeSilent(Neighbour n, long silentMs) {
        for (PeerLink link : List.copyOf(n.links)) {
            link.connection().close(new ErrorCondition(ConnectionError.CONNECTION_FORCED,
                "no hello for " + silentMs + " ms"));
        }
    }

    private ControlMessage hello() {
        long now = System.currentTimeMillis();
        List<String> seen = new ArrayList<>();
        long allowed = allowedSilenceMs(now);
        neighbours.forEach((id, n) -> {
            if (now - n.heardAt <= allowed || (n.seesUs && now - n.lastRead() <= allowed)) {
                seen.add(id);
            }
        });
        return new ControlMessage(ControlMessage.HELLO,
            Map.of("id", routerId(), "instance", core.instance(), "seen", seen));
    }

    // ----- protocol messages

    @Override
    protected void handle(PeerLink link, ControlMessage m) {
        switch (m.opcode()) {
            case ControlMessage.HELLO -> onHello(link, m);
            case ControlMessage.LSU -> onLinkState(link, m);
            case ControlMessage.MAU -> {
                if (edges.containsKey(link.peer().routerId())) {
                    onEdgeAddresses(link, m);
                } else {
                    onMobileAddresses(link, m);
                }
            }
            case ControlMessage.MAR -> onAddressRequest(link, m);
            case ControlMessage.LSR -> onLinkStateRequest(link, m);
            case ControlMessage.RA -> onAdvertisement(link, m);
            default -> LOG.debug("[{}] ignored {} from '{}'", routerId(), m.opcode(), link.peer().routerId());
        }
    }

    private void onHello(PeerLink link, ControlMessage m) {
        Neighbour n = neighbours.get(link.peer().routerId());
        if (n == null) {
            return;
        }
        boolean firstHeard = System.currentTimeMillis() - n.heardAt > NEIGHBOUR_TIMEOUT_MS;
        n.heardAt = System.currentTimeMillis();
        List<String> seen = m.get("seen");
        n.seesUs = seen != null && seen.contains(routerId());
        if (firstHeard) {
            link.send(hello()); // answer at once: the neighbour learns we hear it without waiting a tick
        }
        if (n.seesUs && !n.up) {
            n.up = true;
            LOG.info("[{}] router '{}' is a neighbour (cost {})", routerId(), link.peer().routerId(), link.peer().cost());
            linkStateChanged();
            link.send(advertisement());
        } else if (!n.seesUs && n.up) {
            n.up = false;
            LOG.info("[{}] router '{}' no longer hears this router", routerId(), link.peer().routerId());
            linkStateChanged();
        }
    }

    /**
     * What we know, in brief: every router's instance and sequence numbers. A neighbour that comes
     * up gets it and asks for whatever it lacks, so the two sides of a healed partition agree
     * without sending each other everything.
     */
    private ControlMessage advertisement() {
        List<Object> entries = new ArrayList<>();
        entries.add(List.of(routerId(), core.instance(), linkSeq, mobileSeq));
        db.forEach((id, st) -> entries.add(List.of(id, st.instance, st.linkSeq, st.mobileSeq)));
        return new ControlMessage(ControlMessage.RA, Map.of("id", routerId(), "entries", entries));
    }

    private void onAdvertisement(PeerLink from, ControlMessage m) {
        List<String> wantLinks = new ArrayList<>();
        List<String> wantAddresses = new ArrayList<>();
        for (Object e : m.<List<Object>>get("entries")) {
            List<?> entry = (List<?>) e;
            String id = (String) entry.get(0);
            if (id.equals(routerId())) {
                continue;
            }
            long instance = ((Number) entry.get(1)).longValue();
            RouterState st = db.get(id);
            boolean newer = st == null || instance > st.instance;
            if (newer || (instance == st.instance && ((Number) entry.get(2)).longValue() > st.linkSeq)) {
                wantLinks.add(id);
            }
            if (newer || (instance == st.instance && ((Number) entry.get(3)).longValue() > st.mobileSeq)) {
                wantAddresses.add(id);
            }
        }
        if (!wantLinks.isEmpty()) {
            from.send(new ControlMessage(ControlMessage.LSR, Map.of("ids", wantLinks)));
        }
        if (!wantAddresses.isEmpty()) {
            from.send(new ControlMessage(ControlMessage.MAR, Map.of("ids", wantAddresses)));
        }
    }

    private void onLinkStateRequest(PeerLink from, ControlMessage m) {
        for (String id : m.<List<String>>get("ids")) {
            if (id.equals(routerId())) {
                from.send(ownLinkState());
            } else if (db.containsKey(id) && db.get(id).linkSeq >= 0) {
                from.send(linkState(db.get(id)));
            }
        }
    }

    private void onLinkState(PeerLink from, ControlMessage m) {
        String id = m.get("id");
        if (id.equals(routerId())) {
            return;
        }
        RouterState st = stateFor(id, m.getLong("instance"));
        long seq = m.getLong("seq");
        if (st == null) {
            return;
        }
        if (seq <= st.linkSeq) {
            updatesToPassOn.alsoHeldBy(m, from.peer().routerId());
            return;
        }
        Map<String, Object> links = m.get("links");
        Map<String, Integer> costs = new HashMap<>();
        links.forEach((k, v) -> costs.put(k, ((Number) v).intValue()));
        st.links = costs;
        st.site = m.get("site");
        st.edges = m.get("edges") == null ? List.of() : List.copyOf(m.<List<String>>get("edges"));
        st.linkSeq = seq;
        updatesToPassOn.add(m, from.peer().routerId(), true);
        scheduleRecompute();
    }

    private void onMobileAddresses(PeerLink from, ControlMessage m) {
        String id = m.get("id");
        if (id.equals(routerId())) {
            return;
        }
        RouterState st = stateFor(id, m.getLong("instance"));
        if (st == null) {
            return;
        }
        long seq = m.getLong("seq");
        List<String> exist = m.get("exist");
        if (exist != null) {
            if (seq < st.mobileSeq) {
                return;
            }
            boolean same = seq == st.mobileSeq;
            st.addresses.clear();
            st.addresses.addAll(exist);
            st.mobileSeq = seq;
            if (same) {
                // a resync we asked for, or a repeat: nothing new to pass on
                updatesToPassOn.alsoHeldBy(m, from.peer().routerId());
                return;
            }
        } else if (seq == st.mobileSeq + 1) {
            st.addresses.addAll(m.<List<String>>get("add"));
            m.<List<String>>get("del").forEach(st.addresses::remove);
            st.mobileSeq = seq;
        } else if (seq > st.mobileSeq) {
            from.send(new ControlMessage(ControlMessage.MAR, Map.of("ids", List.of(id))));
            return;
        } else {
            updatesToPassOn.alsoHeldBy(m, from.peer().routerId());
            return;
        }
        updatesToPassOn.add(m, from.peer().routerId(), false);
        scheduleRecompute();
    }

    private void onAddressRequest(PeerLink from, ControlMessage m) {
        for (String id : m.<List<String>>get("ids")) {
            if (id.equals(routerId())) {
                from.send(ownAddresses(true, List.of(), List.of()));
            } else if (db.containsKey(id) && db.get(id).mobileSeq >= 0) {
                from.send(fullAddresses(db.get(id)));
            }
        }
    }

    /** The state for router {@code id}, fresh if it restarted; null if the message is from an older instance. */
    private RouterState stateFor(String id, long instance) {
        RouterState st = db.get(id);
        if (st == null) {
            st = new RouterState(id, instance);
            db.put(id, st);
        } else if (instance > st.instance) {
            LOG.info("[{}] router '{}' restarted", routerId(), id);
            st.restarted(instance);
        } else if (instance < st.instance) {
            return null;
        }
        return st;
    }

    /** Sends a message to every neighbour that is up, but those named. */
    private void flood(ControlMessage m, Set<String> except) {
        neighbours.forEach((id, n) -> {
            PeerLink link = n.best();
            if (n.up && link != null && !except.contains(id)) {
                link.send(m);
            }
        });
    }

    // ----- this router's own link state and addresses

    /**
     * Our links changed: one LSU for a burst of changes (many neighbours come up together at start),
     * and while they keep changing, fewer (the hold grows to {@link #LINK_STATE_MAX_HOLD_MS}, as
     * link-state routers limit how often a router re-announces itself): each LSU goes to every router.
     */
    private void linkStateChanged() {
        news();
        recomputation.requestSoon();
        linkStateAnnouncement.request();
    }

    private void announceLinkState() {
        linkSeq++;
        flood(ownLinkState(), Set.of());
    }

    private Map<String, Integer> ownLinks() {
        Map<String, Integer> links = new LinkedHashMap<>();
        neighbours.forEach((id, n) -> {
            PeerLink best = n.best();
            if (n.up && best != null) {
                links.put(id, best.peer().cost());
            }
        });
        return links;
    }

    private ControlMessage ownLinkState() {
        return new ControlMessage(ControlMessage.LSU, Map.of("id", routerId(), "site", core.site(), "instance",
            core.instance(), "seq", linkSeq, "links", new HashMap<>(ownLinks()), "edges", new ArrayList<>(edges.keySet())));
    }

    private static ControlMessage linkState(RouterState st) {
        Map<String, Object> body = new HashMap<>(Map.of("id", st.id, "instance", st.instance,
            "seq", st.linkSeq, "links", new HashMap<>(st.links), "edges", st.edges));
        if (st.site != null) {
            body.put("site", st.site);
        }
        return new ControlMessage(ControlMessage.LSU, body);
    }

    private static ControlMessage fullAddresses(RouterState st) {
        return new ControlMessage(ControlMessage.MAU, Map.of("id", st.id, "instance", st.instance,
            "seq", st.mobileSeq, "exist", new ArrayList<>(st.addresses)));
    }

    private ControlMessage ownAddresses(boolean full, List<String> add, List<String> del) {
        Map<String, Object> body = new HashMap<>();
        body.put("id", routerId());
        body.put("instance", core.instance());
        body.put("seq", mobileSeq);
        if (full) {
            body.put("exist", new ArrayList<>(advertised.keySet()));
        } else {
            body.put("add", add);
            body.put("del", del);
        }
        return new ControlMessage(ControlMessage.MAU, body);
    }

    @Override
    protected void localConsumersChanged(String address, boolean present) {
        if (present ? localAddresses.add(address) : localAddresses.remove(address)) {
            if (present) {
                advertise(address);
            } else {
                unadvertise(address);
            }
        }
    }

    private void onEdgeAddresses(PeerLink link, ControlMessage m) {
        AttachedEdge edge = edges.get(link.peer().routerId());
        if (edge == null || edge.link != link) {
            return;
        }
        Set<String> next = new HashSet<>(edge.addresses);
        List<String> exist = m.get("exist");
        if (exist != null) {
            next = new HashSet<>(exist);
        } else {
            next.addAll(m.<List<String>>get("add"));
            m.<List<String>>get("del").forEach(next::remove);
        }
        for (String a : edge.addresses) {
            if (!next.contains(a)) {
                unadvertise(a);
            }
        }
        for (String a : next) {
            if (!edge.addresses.contains(a)) {
                advertise(a);
            }
        }
        edge.addresses.clear();
        edge.addresses.addAll(next);
        scheduleRecompute();
    }

    private void advertise(String address) {
        if (advertised.merge(address, 1, Integer::sum) == 1) {
            pendingDeletes.remove(address);
            pendingAdds.add(address);
            scheduleMobileFlush();
        }
    }

    private void unadvertise(String address) {
        Integer left = advertised.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
        if (left == null) {
            if (!pendingAdds.remove(address)) {
                pendingDeletes.add(address);
            }
            scheduleMobileFlush();
        }
    }

    /** One MAU for a burst of address changes. */
    private void scheduleMobileFlush() {
        if (!mobileFlushScheduled) {
            mobileFlushScheduled = true;
            control.schedule(this::flushMobile, COALESCE_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void flushMobile() {
        mobileFlushScheduled = false;
        if (pendingAdds.isEmpty() && pendingDeletes.isEmpty()) {
            return;
        }
        mobileSeq++;
        ControlMessage mau = ownAddresses(false, new ArrayList<>(pendingAdds), new ArrayList<>(pendingDeletes));
        pendingAdds.clear();
        pendingDeletes.clear();
        flood(mau, Set.of());
        scheduleRecompute();
    }

    // ----- routes

    private void scheduleRecompute() {
        news();
        recomputation.request();
    }

    /** Shortest paths, the routing table, remote consumers per address, and what edges may reach. */
    private void recompute() {
        Map<String, Map<String, Integer>> graph = new HashMap<>();
        graph.put(routerId(), ownLinks());
        db.forEach((id, st) -> graph.put(id, st.links));
        Map<String, RouteCalculator.Route> paths = RouteCalculator.compute(routerId(), graph);

        Map<String, RoutingTable.Entry> table = new HashMap<>();
        paths.forEach((router, route) -> {
            Neighbour n = neighbours.get(route.firstHop());
            PeerLink hop = n == null ? null : n.best();
            if (hop != null) {
                table.put(router, new RoutingTable.Entry(hop, route.cost()));
            }
        });
        db.forEach((id, st) -> {
            RoutingTable.Entry via = table.get(id);
            if (via != null) {
                for (String edge : st.edges) {
                    table.putIfAbsent(edge, new RoutingTable.Entry(via.hop(), via.cost() + 1));
                }
            }
        });
        edges.forEach((id, edge) -> table.put(id, new RoutingTable.Entry(edge.link, 1)));
        routes = new RoutingTable(table);
        core.topology(routes);

        long now = System.currentTimeMillis();
        Map<String, Map<String, RemoteConsumer.Kind>> wanted = new HashMap<>();
        db.forEach((id, st) -> {
            if (table.containsKey(id)) {
                st.unreachableSince = 0;
                for (String a : st.addresses) {
                    wanted.computeIfAbsent(a, k -> new HashMap<>()).put(id, RemoteConsumer.Kind.ROUTER);
                }
            } else if (st.unreachableSince == 0) {
                st.unreachableSince = now;
            }
        });
        edges.forEach((id, edge) -> edge.addresses.forEach(a ->
            wanted.computeIfAbsent(a, k -> new HashMap<>()).put(id, RemoteConsumer.Kind.ATTACHED_EDGE)));
        registerRemoteConsumers(wanted);
        edges.forEach((id, edge) -> updateReach(id, edge));
        publish(snapshot(table));
        news();
    }

    @Override
    protected boolean hasNeighbour() {
        return neighbours.values().stream().anyMatch(n -> n.up);
    }

    @Override
    protected boolean computationPending() {
        return recomputation.isPending();
    }

    /** What status shows: this router, every router it can reach, and the edge routers attached to them. */
    private MeshSnapshot snapshot(Map<String, RoutingTable.Entry> table) {
        List<MeshSnapshot.KnownRouter> known = new ArrayList<>();
        known.add(new MeshSnapshot.KnownRouter(routerId(), core.site(), "interior", 0, ownLinks(),
            new ArrayList<>(edges.keySet()), new ArrayList<>(advertised.keySet())));
        edges.forEach((id, edge) -> known.add(new MeshSnapshot.KnownRouter(id, edge.link.peer().site(), "edge", 1,
            Map.of(routerId(), edge.link.peer().cost()), List.of(), new ArrayList<>(edge.addresses))));
        db.forEach((id, st) -> {
            RoutingTable.Entry via = table.get(id);
            if (via == null) {
                return;
            }
            known.add(new MeshSnapshot.KnownRouter(id, st.site, "interior", via.cost(), st.links, st.edges,
                new ArrayList<>(st.addresses)));
            for (String edge : st.edges) {
                known.add(new MeshSnapshot.KnownRouter(edge, null, "edge", via.cost() + 1, Map.of(id, 1), List.of(),
                    List.of()));
            }
        });
        known.subList(1, known.size()).sort(Comparator.comparing(MeshSnapshot.KnownRouter::id));
        return new MeshSnapshot(Instant.now(), known);
    }

    /** Tells an edge router which addresses can be reached through this router (not counting its own). */
    private void updateReach(String edgeId, AttachedEdge edge) {
        Set<String> reach = new HashSet<>(localAddresses);
        db.forEach((id, st) -> {
            if (routes.reaches(id)) {
                reach.addAll(st.addresses);
            }
        });
        edges.forEach((id, other) -> {
            if (!id.equals(edgeId)) {
                reach.addAll(other.addresses);
            }
        });
        if (reach.equals(edge.reachSent)) {
            return;
        }
        edge.link.send(new ControlMessage(ControlMessage.REACH, Map.of("exist", new ArrayList<>(reach))));
        edge.reachSent = reach;
    }

    // ----- for status and tests

    /** Routers this one can reach, with path costs. */
    Map<String, Integer> reachableRouters() {
        Map<String, Integer> out = new HashMap<>();
        routes.entries().forEach((id, e) -> out.put(id, e.cost()));
        return out;
    }
}
