package io.camelvan.router.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.camelvan.router.config.RouterMode;

/**
 * What every connection of one router shares: its identity, the address table and the counters.
 * Everything here is safe to use from any event loop.
 */
public final class RouterCore {

    /** Prefix of the addresses the router keeps for itself (control, temporary reply addresses). */
    public static final String RESERVED_PREFIX = "_van/";

    private final String routerId;
    private final String site;
    private final AddressTable addresses;
    private final RouterMetrics metrics = new RouterMetrics();
    private final String tempPrefix;
    private final int linkCapacity;
    private final RouterMode mode;
    private final long instance = System.currentTimeMillis();
    /**
     * Numbers temporary addresses from this start's time (1000 per millisecond since): a restarted
     * router never hands out an address its previous self gave to a client, where a reply meant for
     * that client, still on its way, would reach another one.
     */
    private final AtomicLong tempCounter = new AtomicLong(instance * 1000);
    private final Forwarder forwarder = new Forwarder(this);
    private volatile Topology topology = Topology.ALONE;
    /**
     * For routers the link state does not reach yet: the connection their last delivery came in on.
     * A request from a router that has just joined may arrive before the link state that leads back
     * to it (its update is still being flooded, or this router's computation is held); its reply
     * goes back the way the request came meanwhile, instead of being refused.
     */
    private final ConcurrentHashMap<String, Consumer> wayBack = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, PeerTraffic> peers = new ConcurrentHashMap<>();
    private final NetworkJoin join;

    /** @param linkCapacity the credit window of each link that sends to the router */
    public RouterCore(String routerId, String site, RouterMode mode, AddressSettings settings, int linkCapacity) {
        this.routerId = routerId;
        this.site = site;
        this.mode = mode;
        this.linkCapacity = linkCapacity;
        this.addresses = new AddressTable(settings);
        this.tempPrefix = RESERVED_PREFIX + routerId + "/temp/";
        this.join = new NetworkJoin(routerId);
    }

    public String routerId() {
        return routerId;
    }

    public String site() {
        return site;
    }

    public RouterMode mode() {
        return mode;
    }

    /** When this router started: tells a restarted router from its previous self. */
    public long instance() {
        return instance;
    }

    public int linkCapacity() {
        return linkCapacity;
    }

    public AddressTable addresses() {
        return addresses;
    }

    public RouterMetrics metrics() {
        return metrics;
    }

    /** Whether this router has joined its network since it started. */
    public NetworkJoin join() {
        return join;
    }

    /** The traffic counters of the connections to another router, created at its first connection. */
    public PeerTraffic peerTraffic(String peerRouterId) {
        return peers.computeIfAbsent(peerRouterId, id -> new PeerTraffic());
    }

    /** Traffic by peer router id, for every router this one has been connected to since it started. */
    public Map<String, PeerTraffic> peerTraffic() {
        return peers;
    }

    /** A new server-named address for a dynamic link; it routes to this router by its name alone. */
    public String newTemporaryAddress() {
        return tempPrefix + tempCounter.incrementAndGet();
    }

    /**
     * True for addresses other routers hear of when this one has consumers for them: not the
     * router's own ({@code _van/...}), nor node-local ones such as {@code $management}, which each
     * router serves for its own clients.
     */
    public static boolean isAdvertised(String address) {
        return !isReserved(address) && !address.startsWith("$");
    }

    /** True for addresses clients may not attach to or send to by name. */
    public static boolean isReserved(String address) {
        return address.startsWith(RESERVED_PREFIX);
    }

    /**
     * The router that owns a router-local address ({@code _van/<router>/temp/<n>} for replies,
     * {@code _van/<router>/$management}), or null for other addresses. Such addresses route by
     * topology to their router, with no advertisement.
     */
    public static String owner(String address) {
        if (!address.startsWith(RESERVED_PREFIX)) {
            return null;
        }
        int end = address.indexOf('/', RESERVED_PREFIX.length());
        return end < 0 ? null : address.substring(RESERVED_PREFIX.length(), end);
    }

    /** This router's address for {@code name}: {@code _van/<router-id>/<name>}, routed here from anywhere. */
    public String localAddress(String name) {
        return RESERVED_PREFIX + routerId + "/" + name;
    }

    /** How other routers are reached; set by the mesh whenever routes change. */
    public Topology topology() {
        return topology;
    }

    public void topology(Topology next) {
        this.topology = next;
        if (!wayBack.isEmpty()) {
            wayBack.keySet().removeIf(router -> next.nextHop(router) != null);
        }
    }

    /** A delivery from router {@code ingress} came in through {@code via}, a connection to another router. */
    public void cameFrom(String ingress, Consumer via) {
        if (via != null && topology.nextHop(ingress) == null) {
            wayBack.put(ingress, via);
        }
    }

    /** The next hop towards another router: by the link state, else the way its last delivery came. */
    public Consumer nextHop(String router) {
        Consumer hop = topology.nextHop(router);
        return hop != null || wayBack.isEmpty() ? hop : wayBack.get(router);
    }

    public Forwarder forwarder() {
        return forwarder;
    }

    /** True for a temporary (reply) address this router handed out: the only reserved kind a client may receive from. */
    public boolean isLocalTemporary(String address) {
        return address.startsWith(tempPrefix);
    }

    /** True for a router-local address of this router. */
    public boolean isLocal(String address) {
        return routerId.equals(owner(address));
    }
}
