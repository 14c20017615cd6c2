package io.camelvan.router.amqp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.qpid.protonj2.engine.IncomingDelivery;
import org.apache.qpid.protonj2.engine.Receiver;
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
 * A link on which a client sends to the router: a producer for one address, or for any address
 * named in each message's {@code to} (the anonymous relay). It gives credit only while its address
 * can be reached, in a fixed window topped up as deliveries are settled.
 */
final class InboundLink implements Address.ReachabilityListener {

    private static final Logger LOG = LoggerFactory.getLogger(InboundLink.class);

    private final AmqpConnection connection;
    private final Receiver receiver;
    private final Address address;
    private final int capacity;
    private final Set<InboundDelivery> receiving = new LinkedHashSet<>();
    private int inFlight;
    private boolean closed;

    private InboundLink(AmqpConnection connection, Receiver receiver, Address address, int capacity) {
        this.connection = connection;
        this.receiver = receiver;
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
        if (name != null && RouterCore.isReserved(name) && !target.isDynamic()
                && !(core.isLocalTemporary(name) && core.addresses().lookup(name) != null)) {
            LinkRefusal.refuse(connection, receiver, core.isLocalTemporary(name)
                ? AmqpErrors.notFound("temporary address '" + name + "' does not exist (its creator has gone)")
                : AmqpErrors.unauthorized("addresses under '_van/' are reserved for the router"));
            return;
        }
        Address address = name == null ? null : core.addresses().acquire(name);
        InboundLink link = new InboundLink(connection, receiver, address, core.linkCapacity());
        receiver.setTarget(target);
        receiver.setSource(receiver.getRemoteSource() == null ? null : receiver.getRemoteSource().copy());
        if (connection.listener().maxMessageSize() > 0) {
            receiver.setMaxMessageSize(UnsignedLong.valueOf(connection.listener().maxMessageSize()));
        }
        receiver.setLinkedResource(link);
        receiver.deliveryReadHandler(link::onRead);
        receiver.deliveryAbortedHandler(link::onAborted);
        receiver.detachHandler(r -> link.onRemoteDetach(false));
        receiver.closeHandler(r -> link.onRemoteDetach(true));
        receiver.open();
        connection.registered(link);
        core.metrics().linksActive.increment();
        if (address != null) {
            address.addListener(link);
        }
        link.topUpCredit();
        LOG.debug("[{}] {} sends to '{}'", core.routerId(), connection.peer(), name == null ? "(anonymous relay)" : name);
    }

    private void onRead(IncomingDelivery delivery) {
        InboundDelivery inbound = (InboundDelivery) delivery.getLinkedResource();
        if (inbound == null) {
            inbound = new InboundDelivery(this, delivery);
            delivery.setLinkedResource(inbound);
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
        if (closed || !receiver.isLocallyOpen()) {
            return;
        }
        boolean reachable = address == null || address.distribution() == Distribution.MULTICAST || address.isReachable();
        int credit = receiver.getCredit();
        int wanted = capacity - inFlight - credit;
        if (reachable && wanted > 0 && (credit + inFlight <= capacity / 2 || credit == 0)) {
            receiver.addCredit(wanted);
        }
    }

    /** One delivery has been settled with its sender: its credit may be given again. */
    void deliveryDone() {
        inFlight--;
        topUpCredit();
    }

    void deliveryReceived(InboundDelivery inbound) {
        receiving.remove(inbound);
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
            address.removeListener(this);
            connection.core().addresses().release(address);
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** The fixed address of this link, or null for the anonymous relay. */
    Address address() {
        return address;
    }

    AmqpConnection connection() {
        return connection;
    }
}
