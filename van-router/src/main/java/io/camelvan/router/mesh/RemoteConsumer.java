package io.camelvan.router.mesh;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.qpid.protonj2.types.messaging.Released;

import io.camelvan.router.core.Consumer;
import io.camelvan.router.core.RoutedDelivery;

/**
 * The consumers of one address on another router, as one entry of the address: balancing weighs
 * it by the deliveries outstanding towards that router plus the path cost. Copies go out on
 * whatever the next hop is at the moment they are sent.
 */
final class RemoteConsumer implements Consumer {

    /** Where the consumers are, as seen from this router. */
    enum Kind {
        /** on another interior router */
        ROUTER,
        /** on an edge router attached to this one: served here, as far as the rest of the network knows */
        ATTACHED_EDGE,
        /** somewhere beyond this edge router's interior router, which decides where */
        UPLINK
    }

    private final String routerId;
    private final Mesh mesh;
    private final Kind kind;
    private final AtomicInteger outstanding = new AtomicInteger();

    RemoteConsumer(String routerId, Mesh mesh, Kind kind) {
        this.routerId = routerId;
        this.mesh = mesh;
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }

    @Override
    public void deliver(RoutedDelivery delivery) {
        Consumer hop = mesh.routes().nextHop(routerId);
        if (hop == null) {
            delivery.stream().closeReader();
            delivery.finish(Released.getInstance());
            return;
        }
        outstanding.incrementAndGet();
        delivery.onFinish(outstanding::decrementAndGet);
        hop.deliver(delivery);
    }

    @Override
    public int outstanding() {
        return outstanding.get();
    }

    @Override
    public int cost() {
        int cost = mesh.routes().cost(routerId);
        return cost < 0 ? Integer.MAX_VALUE / 4 : cost;
    }

    @Override
    public boolean hasCapacity() {
        return true;
    }

    @Override
    public String routerId() {
        return routerId;
    }

    @Override
    public boolean isServedHere() {
        return kind == Kind.ATTACHED_EDGE;
    }

    @Override
    public List<String> dests() {
        return kind == Kind.UPLINK ? List.of() : List.of(routerId);
    }

    @Override
    public String toString() {
        return "consumers on router '" + routerId + "'";
    }
}
