package io.camelvan.router.mesh;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.core.Consumer;
import io.camelvan.router.core.RouterCore;

/**
 * An edge router's view of the network: one uplink to an interior router, which is the next hop
 * towards every other router. The edge tells its interior router which addresses it has consumers
 * for (so the whole network can reach them), and hears back which addresses can be reached through
 * it (so producers here get credit only for those).
 */
final class EdgeMesh extends Mesh {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeMesh.class);

    private final Set<String> localAddresses = new HashSet<>();
    private Set<String> reachable = Set.of();
    private volatile PeerLink uplink;
    private long mobileSeq;
    private final RoutingView view = new RoutingView() {
        @Override
        public Consumer nextHop(String routerId) {
            PeerLink link = uplink;
            return link == null || link.isClosed() || routerId.equals(routerId()) ? null : link;
        }

        @Override
        public int cost(String routerId) {
            PeerLink link = uplink;
            return link == null ? -1 : link.peer().cost();
        }
    };

    EdgeMesh(RouterCore core) {
        super(core);
    }

    @Override
    public RoutingView routes() {
        return view;
    }

    @Override
    protected long tickMillis() {
        return 5000;
    }

    @Override
    protected void tick() {
        // liveness of the uplink is the connection's own (AMQP idle timeout); nothing to poll
    }

    @Override
    protected void linkOpened(PeerLink link) {
        PeerLink previous = uplink;
        if (previous != null && !previous.isClosed()) {
            LOG.warn("[{}] an edge router has one uplink; refusing a second to '{}'", routerId(), link.peer().routerId());
            link.connection().close(new org.apache.qpid.protonj2.types.transport.ErrorCondition(
                org.apache.qpid.protonj2.types.transport.AmqpError.NOT_ALLOWED, "edge router already has an uplink"));
            return;
        }
        uplink = link;
        news();
        core.topology(view);
        publishSnapshot();
        LOG.info("[{}] uplink to interior router '{}' is up", routerId(), link.peer().routerId());
        mobileSeq++;
        link.send(new ControlMessage(ControlMessage.MAU, Map.of("id", routerId(), "instance", core.instance(),
            "seq", mobileSeq, "exist", new ArrayList<>(localAddresses))));
    }

    @Override
    protected void linkLost(PeerLink link) {
        if (link != uplink) {
            return;
        }
        uplink = null;
        reachable = Set.of();
        registerRemoteConsumers(Map.of());
        publishSnapshot();
        LOG.info("[{}] uplink to '{}' lost", routerId(), link.peer().routerId());
    }

    /** This edge router and, while it is up, its interior router: all an edge router knows of the network. */
    private void publishSnapshot() {
        PeerLink link = uplink;
        List<MeshSnapshot.KnownRouter> known = new ArrayList<>();
        known.add(new MeshSnapshot.KnownRouter(routerId(), core.site(), "edge", 0,
            link == null ? Map.of() : Map.of(link.peer().routerId(), link.peer().cost()), List.of(),
            new ArrayList<>(localAddresses)));
        if (link != null) {
            known.add(new MeshSnapshot.KnownRouter(link.peer().routerId(), link.peer().site(), "interior",
                link.peer().cost(), Map.of(routerId(), link.peer().cost()), List.of(routerId()), List.of()));
        }
        publish(new MeshSnapshot(Instant.now(), known));
    }

    @Override
    protected void handle(PeerLink link, ControlMessage m) {
        if (ControlMessage.REACH.equals(m.opcode()) && link == uplink) {
            List<String> exist = m.get("exist");
            reachable = new HashSet<>(exist);
            Map<String, Map<String, RemoteConsumer.Kind>> wanted = new HashMap<>();
            for (String address : reachable) {
                wanted.put(address, Map.of(link.peer().routerId(), RemoteConsumer.Kind.UPLINK));
            }
            registerRemoteConsumers(wanted);
            news();
        }
    }

    @Override
    protected boolean hasNeighbour() {
        return uplink != null;
    }

    @Override
    protected boolean computationPending() {
        return false;
    }

    @Override
    protected void localConsumersChanged(String address, boolean present) {
        if (!(present ? localAddresses.add(address) : localAddresses.remove(address))) {
            return;
        }
        publishSnapshot();
        PeerLink link = uplink;
        if (link != null) {
            mobileSeq++;
            link.send(new ControlMessage(ControlMessage.MAU, Map.of("id", routerId(), "instance", core.instance(),
                "seq", mobileSeq, "add", present ? List.of(address) : List.of(),
                "del", present ? List.of() : List.of(address))));
        }
    }
}
