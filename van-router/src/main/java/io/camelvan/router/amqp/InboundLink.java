package io.camelvan.router.amqp;

import java.util.ArrayDeque;
import java.util.ArrayList;

import org.apache.qpid.protonj2.engine.IncomingDelivery;
import org.apache.qpid.protonj2.engine.Receiver;
import org.apache.qpid.protonj2.engine.Session;
import org.apache.qpid.protonj2.types.UnsignedLong;
import org.apache.qpid.protonj2.types.messaging.Target;
import org.apache.qpid.protonj2.types.messaging.Terminus;
import org.apache.qpid.protonj2.types.transactions.Coordinator;
import org.apache.qpid.protonj2.types.transport.AmqpError;
import org.apache.qpid.protonj2.types.transport.ErrorCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.config.Distribution;
import io.camelvan.router.core.Address;
import io.camelvan.router.core.RouterCore;

/**
 * A link on which a peer sends to the router. Its deliveries are routed on the link's target
 * address, on each message's {@code to} (the anonymous relay), or, on links from other routers, on
 * the router annotations. Client links get credit only while their address can be reached, in a
 * fixed window topped up as deliveries are settled; links from routers are always credited.
 */
public final class InboundLink implements Address.ReachabilityListener {

    private static final Logger LOG = LoggerFactory.getLogger(InboundLink.class);

    /** How the deliveries of a link find their address. */
    enum Addressing {
        /** the link's target address */
        FIXED,
        /** each message's {@code to} */
        RELAY,
        /** the {@code x-opt-van.} annotations another router added */
        PEER
    }

    private final AmqpConnection connection;
    private final Receiver receiver;
    private final Addressing addressing;
    private final String fixedAddress;
    private final Address address;
    private final int capacity;
    /** Deliveries whose last frame has not come yet, oldest first (they complete in order, so removal is at the head). */
    private final ArrayDeque<InboundDelivery> receiving = new ArrayDeque<>();
    private int inFlight;
    private boolean closed;
    /** When the link began to wait for a consumer to be reachable (System.nanoTime), or 0. */
    private long starvedSince;

    private InboundLink(AmqpConnection connection, Receiver receiver, Addressing addressing, String fixedAddress,
            Address address, int capacity) {
        this.connection = connection;
        this.receiver = receiver;
        this.addressing = addressing;
        this.fixedAddress = fixedAddress;
        this.address = address;
        this.capacity = capacity;
    }

    /** Answers a client's attach of a sending link. */
    static void attach(AmqpConnection connection, Receiver receiver) {
        RouterCore core = connection.core();
        Terminus remote = receiver.getRemoteTarget();
        if (remote instanceof Coordinator) {
            LinkRefusal.refuse(connection, receiver,
                new ErrorCondition(AmqpError.NOT_IMPLEMENTED, "transactions are not supported by the router"));
            return;
        }
        if (remote == null) {
            LinkRefusal.refuse(connection, receiver, AmqpErrors.invalidField("a sending link needs a target"));
            return;
        }
        Target target = ((Target) remote).copy();
        String name = target.getAddress();
        if (target.isDynamic()) {
            name = core.newTemporaryAddress();
            target.setAddress(name);
        } else if (name != null && name.isEmpty()) {
            name = null;
        }
        if (name != null && !target.isDynamic()) {
            ErrorCondition refusal = refusal(connection, name);
            if (refusal != null) {
                LinkRefusal.refuse(connection, receiver, refusal);
                return;
            }
        }
        String owner = name == null ? null : RouterCore.owner(name);
        boolean remoteTemporary = owner != null && !owner.equals(core.routerId());
        Address address = name == null || remoteTemporary ? null : core.addresses().acquire(name);
        InboundLink link = new InboundLink(connection, receiver, name == null ? Addressing.RELAY : Addressing.FIXED,
            name, address, core.linkCapacity());
        receiver.setTarget(target);
        receiver.setSource(receiver.getRemoteSource() == null ? null : receiver.getRemoteSource().copy());
        if (connection.settings().maxMessageSize() > 0) {
            receiver.setMaxMessageSize(UnsignedLong.valueOf(connection.settings().maxMessageSize()));
        }
        link.open();
        if (address != null) {
            address.addListener(link);
            address.metrics().producers(1);
        }
        link.topUpCredit();
        LOG.debug("[{}] {} sends to '{}'", core.routerId(), connection.peer(), name == null ? "(anonymous relay)" : name);
    }

    /** Why a client may not send to {@code name}, or null when it may. Also asked per message on the anonymous relay. */
    static ErrorCondition refusal(AmqpConnection connection, String name) {
        RouterCore core = connection.core();
        if (!RouterCore.isReserved(name)) {
            return connection.settings().policy().maySend(name) ? null : AmqpErrors.unauthorized("listener '"
                + connection.settings().name() + "' does not allow sending to '" + name + "'");
        }
        String owner = RouterCore.owner(name);
        if (owner == null) {
            return AmqpErrors.unauthorized("addresses under '_van/' are reserved for the router");
        }
        if (owner.equals(core.routerId()) && core.addresses().lookup(name) == null) {
            return AmqpErrors.notFound("address '" + name + "' does not exist (a temporary address whose creator has gone?)");
        }
        if (!owner.equals(core.routerId()) && core.topology().nextHop(owner) == null) {
            return AmqpErrors.notFound("address '" + name + "' belongs to router '" + owner
                + "', which cannot be reached");
        }
        return null;
    }

    /** Accepts a link on which another router sends us deliveries (data or one stream at a time). */
    public static void attachPeer(AmqpConnection connection, Receiver receiver, int capacity) {
        InboundLink link = new InboundLink(connection, receiver, Addressing.PEER, null, null, capacity);
        receiver.setTarget(receiver.getRemoteTarget() instanceof Target t ? t.copy() : new Target());
        receiver.setSource(receiver.getRemoteSource() == null ? null : receiver.getRemoteSource().copy());
        link.open();
        link.topUpCredit();
    }

    private void open() {
        receiver.setLinkedResource(this);
        receiver.deliveryReadHandler(this::onRead);
        receiver.deliveryAbortedHandler(this::onAborted);
        receiver.detachHandler(r -> onRemoteDetach(false));
        receiver.closeHandler(r -> onRemoteDetach(true));
        receiver.open();
        connection.registered(this);
        connection.core().metrics().linksActive.increment();
    }

    private void onRead(IncomingDelivery delivery) {
        InboundDelivery inbound = (InboundDelivery) delivery.getLinkedResource();
        if (inbound == null) {
            inbound = new InboundDelivery(this, delivery);
            delivery.setLinkedResource(inbound);
            if (addressing == Addressing.PEER) {
                connection.peerTraffic().deliveryIn();
            }
            receiving.add(inbound);
            inFlight++;
        }
        inbound.onRead();
    }

    private void onAborted(IncomingDelivery delivery) {
        InboundDelivery inbound = (InboundDelivery) delivery.getLinkedResource();
        if (inbound != null) {
            inbound.onAborted();
        }
    }

    @Override
    public void reachabilityChanged(Address changed, boolean reachable) {
        connection.later(this::topUpCredit);
    }

    /** Gives credit up to the window, in batches, while the address can be reached. */
    void topUpCredit() {
        if (isClosed()) {
            return;
        }
        boolean reachable = address == null || address.distribution() == Distribution.MULTICAST || address.isReachable();
        trackStarvation(!reachable);
        int credit = receiver.getCredit();
        int wanted = capacity - inFlight - credit;
        if (reachable && wanted > 0 && (credit + inFlight <= capacity / 2 || credit == 0)) {
            receiver.addCredit(wanted);
        }
    }

    /** Counts the time the link waits for credit because nobody consumes its address (credit-starved time). */
    private void trackStarvation(boolean starved) {
        if (starved == (starvedSince != 0)) {
            return;
        }
        long now = System.nanoTime();
        if (starved) {
            starvedSince = now == 0 ? 1 : now;
            address.metrics().starvationStarted(starvedSince);
        } else {
            address.metrics().starvationEnded(starvedSince, now);
            starvedSince = 0;
        }
    }

    /** One delivery has been settled with its sender: its credit may be given again. */
    void deliveryDone() {
        inFlight--;
        topUpCredit();
    }

    void deliveryReceived(InboundDelivery inbound) {
        receiving.removeFirstOccurrence(inbound);
    }

    private void onRemoteDetach(boolean closing) {
        closeLink();
        if (!receiver.isLocallyClosedOrDetached()) {
            if (closing) {
                receiver.close();
            } else {
                receiver.detach();
            }
        }
    }

    void connectionLost() {
        closeLink();
    }

    /** The sender is gone: copies still being streamed are aborted so no consumer waits for the rest. */
    private void closeLink() {
        if (closed) {
            return;
        }
        closed = true;
        for (InboundDelivery inbound : new ArrayList<>(receiving)) {
            inbound.onAborted();
        }
        connection.unregistered(this);
        connection.core().metrics().linksActive.decrement();
        if (address != null) {
            trackStarvation(false);
            address.metrics().producers(-1);
            address.removeListener(this);
            connection.core().addresses().release(address);
        }
    }

    /** True once no disposition or credit can be given on the link any more. */
    boolean isClosed() {
        return closed || !receiver.isLocallyOpen() || !receiver.getConnection().isLocallyOpen();
    }

    Addressing addressing() {
        return addressing;
    }

    /** The target address of a FIXED link. */
    String fixedAddress() {
        return fixedAddress;
    }

    AmqpConnection connection() {
        return connection;
    }

    Session session() {
        return receiver.getSession();
    }
}
