package io.camelvan.router.mesh;

import java.util.ArrayDeque;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;
import org.apache.qpid.protonj2.codec.DecodeException;
import org.apache.qpid.protonj2.engine.IncomingDelivery;
import org.apache.qpid.protonj2.engine.OutgoingDelivery;
import org.apache.qpid.protonj2.engine.Receiver;
import org.apache.qpid.protonj2.engine.Sender;
import org.apache.qpid.protonj2.engine.Session;
import org.apache.qpid.protonj2.engine.impl.ProtonDeliveryTagGenerator;
import org.apache.qpid.protonj2.types.messaging.Source;
import org.apache.qpid.protonj2.types.messaging.Target;
import org.apache.qpid.protonj2.types.transport.AmqpError;
import org.apache.qpid.protonj2.types.transport.ErrorCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.amqp.AmqpConnection;
import io.camelvan.router.amqp.InboundLink;
import io.camelvan.router.amqp.OutboundLink;
import io.camelvan.router.amqp.PeerConnector;
import io.camelvan.router.amqp.PeerInfo;
import io.camelvan.router.core.Consumer;
import io.camelvan.router.core.RoutedDelivery;

/**
 * One connection to another router, seen from this one: a control link each way for the routing
 * protocol, a data link each way for ordinary deliveries (each on a session of its own), and a link of its own (on a session of
 * its own, so its window is its own) for each delivery that streams, so one slow stream never holds
 * up the others. As a {@link Consumer} it is a next hop: copies handed to it cross this connection.
 */
final class PeerLink implements PeerConnector.PeerSession, Consumer {

    private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);
    /* Link names carry the sending router's id: both routers open the same kinds of link, and AMQP
       link names must not collide between the two directions. */
    static final String CONTROL = "_van/control/";
    static final String DATA = "_van/data/";
    static final String STREAM = "_van/stream/";
    /** Credit the receiving side gives: generous on data links, where back-pressure is per delivery. */
    private static final int CONTROL_CREDIT = 1000;
    private static final int DATA_CREDIT = 1000;
    private static final int STREAM_CREDIT = 10;
    /** Idle stream links kept open for reuse; more are closed once done. */
    private static final int IDLE_STREAM_LINKS = 256;

    private final AmqpConnection connection;
    private final PeerInfo peer;
    private final Mesh mesh;
    private final ArrayDeque<ControlMessage> controlBacklog = new ArrayDeque<>();
    private final ArrayDeque<OutboundLink> idleStreams = new ArrayDeque<>();
    private Sender control;
    private OutboundLink data;
    private int streamCounter;
    private volatile boolean closed;

    PeerLink(AmqpConnection connection, PeerInfo peer, Mesh mesh) {
        this.connection = connection;
        this.peer = peer;
        this.mesh = mesh;
    }

    /**
     * Opens our control and data links, each alone on a session of its own: protonj2 1.1.0 keeps a
     * sender that once found its session's window shut unsendable until a flow for that very link
     * arrives, so a second sender on the session could leave the control link stuck for good
     * (hellos stop, the neighbour is lost) once the data link had filled the window. On the
     * connection's event loop.
     */
    void start() {
        Session session = connection.openSession();
        String self = mesh.routerId();
        control = session.sender(CONTROL + self);
        control.setSource(new Source().setAddress(CONTROL + self));
        control.setTarget(new Target().setAddress(CONTROL + self));
        control.setDeliveryTagGenerator(ProtonDeliveryTagGenerator.BUILTIN.EMPTY.createGenerator());
        control.creditStateUpdateHandler(s -> drainControlBacklog());
        control.openHandler(s -> { }); // else protonj2 reports the answer as a new link of the peer's
        control.open();
        data = OutboundLink.openToPeer(connection, connection.openSession(), DATA + self, null);
    }

    PeerInfo peer() {
        return peer;
    }

    AmqpConnection connection() {
        return connection;
    }

    boolean isClosed() {
        return closed;
    }

    // ----- control messages

    /** Sends a control message, from any thread; queued while the peer gives no credit. */
    void send(ControlMessage message) {
        connection.execute(() -> {
            if (!closed) {
                controlBacklog.add(message);
                drainControlBacklog();
            }
        });
    }

    private void drainControlBacklog() {
        while (!controlBacklog.isEmpty() && control.isSendable()) {
            ProtonBuffer bytes = controlBacklog.poll().encode(ProtonBufferAllocator.defaultAllocator());
            OutgoingDelivery delivery = control.next();
            delivery.settle();
            delivery.writeBytes(bytes);
        }
    }

    private void onControl(IncomingDelivery delivery) {
        if (delivery.isPartial()) {
            return;
        }
        ProtonBuffer bytes = delivery.readAll();
        delivery.settle();
        Receiver receiver = delivery.getLink();
        if (receiver.getCredit() < CONTROL_CREDIT / 2) {
            receiver.addCredit(CONTROL_CREDIT - receiver.getCredit());
        }
        if (bytes == null) {
            return;
        }
        try (bytes) {
            mesh.received(this, ControlMessage.decode(bytes));
        } catch (DecodeException | ClassCastException e) {
            LOG.warn("[{}] bad control message from router '{}': {}", mesh.routerId(), peer.routerId(), e.getMessage());
        }
    }

    // ----- PeerSession: links the other router attaches

    @Override
    public void receiverOpened(Receiver receiver) {
        String name = receiver.getName();
        if (name.startsWith(CONTROL)) {
            receiver.setSource(receiver.getRemoteSource());
            receiver.setTarget(new Target().setAddress(name));
            receiver.deliveryReadHandler(this::onControl);
            receiver.open();
            receiver.addCredit(CONTROL_CREDIT);
        } else if (name.startsWith(DATA)) {
            InboundLink.attachPeer(connection, receiver, DATA_CREDIT);
        } else if (name.startsWith(STREAM)) {
            InboundLink.attachPeer(connection, receiver, STREAM_CREDIT);
        } else {
            refuse(receiver, "unknown inter-router link '" + name + "'");
        }
    }

    @Override
    public void senderOpened(Sender sender) {
        refuse(sender, "routers do not attach receiving links to each other");
    }

    private void refuse(org.apache.qpid.protonj2.engine.Link<?> link, String why) {
        LOG.warn("[{}] refused link '{}' from router '{}': {}", mesh.routerId(), link.getName(), peer.routerId(), why);
        link.setSource(null);
        link.setTarget((Target) null);
        link.open();
        link.setCondition(new ErrorCondition(AmqpError.NOT_ALLOWED, why));
        link.close();
    }

    @Override
    public Consumer asHop() {
        return this;
    }

    @Override
    public void closed() {
        closed = true;
        controlBacklog.clear();
        mesh.linkClosed(this);
    }

    // ----- Consumer: this connection as the next hop for copies

    @Override
    public void deliver(RoutedDelivery delivery) {
        connection.peerTraffic().deliveryOut();
        connection.execute(() -> {
            if (closed) {
                delivery.stream().closeReader();
                delivery.finish(org.apache.qpid.protonj2.types.messaging.Released.getInstance());
            } else if (delivery.isStreaming()) {
                streamLink().send(delivery);
            } else {
                data.send(delivery);
            }
        });
    }

    /** An idle stream link, or a new one on a session of its own. */
    private OutboundLink streamLink() {
        OutboundLink link;
        while ((link = idleStreams.poll()) != null) {
            if (!link.isClosed()) {
                return link;
            }
        }
        String name = STREAM + mesh.routerId() + "/" + (++streamCounter);
        return OutboundLink.openToPeer(connection, connection.openSession(), name, this::streamIdle);
    }

    private void streamIdle(OutboundLink link) {
        if (idleStreams.size() < IDLE_STREAM_LINKS) {
            idleStreams.add(link);
        } else {
            link.close();
        }
    }

    @Override
    public int outstanding() {
        return data == null ? 0 : data.outstanding();
    }

    @Override
    public int cost() {
        return peer.cost();
    }

    @Override
    public boolean hasCapacity() {
        return true;
    }

    @Override
    public String routerId() {
        return peer.routerId();
    }

    @Override
    public String toString() {
        return "link to router '" + peer.routerId() + "' (" + connection.peer() + ")";
    }
}
