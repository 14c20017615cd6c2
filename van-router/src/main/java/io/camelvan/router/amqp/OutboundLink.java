package io.camelvan.router.amqp;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.engine.OutgoingDelivery;
import org.apache.qpid.protonj2.engine.Sender;
import org.apache.qpid.protonj2.engine.Session;
import org.apache.qpid.protonj2.engine.impl.ProtonDeliveryTagGenerator;
import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.Modified;
import org.apache.qpid.protonj2.types.messaging.Outcome;
import org.apache.qpid.protonj2.types.messaging.Released;
import org.apache.qpid.protonj2.types.messaging.Source;
import org.apache.qpid.protonj2.types.messaging.Target;
import org.apache.qpid.protonj2.types.messaging.Terminus;
import org.apache.qpid.protonj2.types.transport.DeliveryState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.core.Address;
import io.camelvan.router.core.Consumer;
import io.camelvan.router.core.DeliveryStream;
import io.camelvan.router.core.RoutedDelivery;
import io.camelvan.router.core.RouterCore;

/**
 * A link on which the router sends: to a client (a consumer of one address), or to another router
 * (a data or stream link of the mesh). Copies handed to it from any event loop queue here until
 * the receiver gives credit; each is then streamed out as its bytes arrive, and the receiver's
 * outcome is carried back to the copy's origin.
 */
public final class OutboundLink implements Consumer {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundLink.class);
    private static final DeliveryState DELIVERY_FAILED = new Modified(true, false);
    /** Chunks smaller than this that are waiting together go out as one transfer (see {@link #nextBatch}). */
    static final int BATCH_BYTES = 4096;

    private final AmqpConnection connection;
    private final Sender sender;
    private final Address address;
    private final ArrayDeque<RoutedDelivery> queue = new ArrayDeque<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final Runnable wakeup;
    private IdleListener onIdle;
    private boolean reportedIdle;
    /** An abort went out on this link: its session is off by one transfer (see {@link #abortOut}). */
    private boolean spoiled;
    private volatile int credit;
    private RoutedDelivery current;
    private OutgoingDelivery currentOut;
    private ProtonBuffer pending;
    private boolean closed;

    private OutboundLink(AmqpConnection connection, Sender sender, Address address) {
        this.connection = connection;
        this.sender = sender;
        this.address = address;
        this.wakeup = () -> connection.later(this::pump);
    }

    /** Answers a client's attach of a receiving link. */
    static void attach(AmqpConnection connection, Sender sender) {
        RouterCore core = connection.core();
        Source remote = sender.getRemoteSource();
        Terminus target = sender.getRemoteTarget();
        if (remote == null) {
            LinkRefusal.refuse(connection, sender, AmqpErrors.invalidField("a receiving link needs a source"));
            return;
        }
        Source source = remote.copy();
        String name;
        if (remote.isDynamic()) {
            name = core.newTemporaryAddress();
            source.setAddress(name);
        } else {
            name = remote.getAddress();
            if (name == null || name.isEmpty()) {
                LinkRefusal.refuse(connection, sender,
                    AmqpErrors.invalidField("a receiving link needs a source address, or dynamic=true for a temporary one"));
                return;
            }
            if (!RouterCore.isReserved(name) && !connection.settings().policy().mayReceive(name)) {
                LinkRefusal.refuse(connection, sender, AmqpErrors.unauthorized("listener '" + connection.settings().name()
                    + "' does not allow receiving from '" + name + "'"));
                return;
            }
            if (RouterCore.isReserved(name) && !(core.isLocalTemporary(name) && core.addresses().lookup(name) != null)) {
                LinkRefusal.refuse(connection, sender, core.isLocalTemporary(name)
                    ? AmqpErrors.notFound("temporary address '" + name + "' does not exist (its creator has gone)")
                    : AmqpErrors.unauthorized("addresses under '_van/' are reserved for the router"));
                return;
            }
        }
        Address address = core.addresses().acquire(name);
        OutboundLink link = new OutboundLink(connection, sender, address);
        sender.setSource(source);
        sender.setTarget(target instanceof Target t ? t.copy() : null);
        link.open();
        address.addConsumer(link);
        LOG.debug("[{}] {} receives from '{}'", core.routerId(), connection.peer(), name);
    }

    /** Told when a link has sent everything it was given (a stream link goes back to its pool). */
    @FunctionalInterface
    public interface IdleListener {
        void idle(OutboundLink link);
    }

    /**
     * Opens a link of our own to another router, on the connection's event loop.
     *
     * @param onIdle told whenever the link has nothing left to send, or null
     */
    public static OutboundLink openToPeer(AmqpConnection connection, Session session, String name, IdleListener onIdle) {
        Sender sender = session.sender(name);
        sender.setSource(new Source().setAddress(name));
        sender.setTarget(new Target().setAddress(name));
        OutboundLink link = new OutboundLink(connection, sender, null);
        link.onIdle = onIdle;
        // protonj2 reports the peer's answer to the connection's "sender opened" handler unless the
        // link has a handler of its own; this link needs nothing more than the answer
        sender.openHandler(s -> { });
        link.open();
        return link;
    }

    private void open() {
        UnsettledOncePerDelivery.install(sender);
        sender.setDeliveryTagGenerator(ProtonDeliveryTagGenerator.BUILTIN.POOLED.createGenerator());
        sender.setLinkedResource(this);
        sender.creditStateUpdateHandler(s -> onCredit());
        sender.deliveryStateUpdatedHandler(this::onOutcome);
        sender.detachHandler(s -> onRemoteDetach(false));
        sender.closeHandler(s -> onRemoteDetach(true));
        sender.open();
        connection.registered(this);
        connection.core().metrics().linksActive.increment();
    }

    /** Queues a copy; call on the connection's event loop (a next hop does, after choosing this link). */
    public void send(RoutedDelivery delivery) {
        outstanding.incrementAndGet();
        reportedIdle = false;
        enqueue(delivery);
    }

    /** True when nothing is queued or being sent. */
    public boolean isIdle() {
        return current == null && queue.isEmpty();
    }

    public boolean isClosed() {
        return closed;
    }

    // ----- Consumer, called from any thread

    @Override
    public void deliver(RoutedDelivery delivery) {
        outstanding.incrementAndGet();
        connection.execute(() -> enqueue(delivery));
    }

    @Override
    public int outstanding() {
        return outstanding.get();
    }

    @Override
    public int cost() {
        return 0;
    }

    @Override
    public boolean hasCapacity() {
        return credit > outstanding.get();
    }

    // ----- on the connection's event loop

    private void enqueue(RoutedDelivery delivery) {
        if (closed) {
            redirect(delivery);
            return;
        }
        queue.add(delivery);
        pump();
    }

    private void onCredit() {
        credit = sender.getCredit();
        pump();
        // protonj2 1.1.0 tells only the link a flow names when the session window reopens: the
        // other links of the session that were held up by the window would wait for flows of their own
        connection.resumeHeldUp(sender.getSession(), this);
    }

    /** True when the link has something to send and the credit for it, but its session's window is shut. */
    boolean isHeldUpByWindow() {
        return !closed && (pending != null || (current == null && !queue.isEmpty() && sender.getCredit() > 0))
            && !sender.isSendable();
    }

    Session session() {
        return sender.getSession();
    }

    /** Sends as much as credit, the session window and the socket allow. */
    void pump() {
        if (!sender.isLocallyOpen() || !sender.getConnection().isLocallyOpen()) {
            return; // closing: what is queued is settled back when the connection goes
        }
        while (!closed && connection.isWritable()) {
            if (current == null && !startNext()) {
                break;
            }
            DeliveryStream stream = current.stream();
            if (pending == null) {
                pending = nextBatch(stream);
            }
            if (pending == null && stream.isAborted()) {
                abortCurrent();
                continue;
            }
            if (pending == null && !stream.isFinished()) {
                if (stream.awaitData(wakeup)) {
                    continue;
                }
                break;
            }
            if (!sender.isSendable()) {
                break; // session window closed: resumes on the peer's next flow
            }
            boolean last = stream.isFinished();
            currentOut.streamBytes(pending, last);
            if (pending != null) {
                if (pending.isReadable()) {
                    break;
                }
                pending.close();
                pending = null;
            }
            if (last) {
                currentSent();
            }
        }
        if (sender.isDraining() && current == null && queue.isEmpty()) {
            sender.drained(); // a client draining its credit (a receive with no wait) learns there is nothing more
        }
        credit = sender.getCredit();
    }

    /**
     * The next chunk, joined with the small ones queued behind it: a message's head (the router's
     * annotations and the rest, rewritten apart) and its first body bytes usually wait together,
     * and one transfer for them all costs the peer one frame to decode instead of three. The small
     * chunks are copied; a large one goes out as it is.
     */
    private ProtonBuffer nextBatch(DeliveryStream stream) {
        ProtonBuffer first = stream.poll();
        if (first == null || first.getReadableBytes() >= BATCH_BYTES) {
            return first;
        }
        ProtonBuffer next = stream.poll();
        if (next == null) {
            return first;
        }
        ProtonBuffer batch = connection.allocator().allocate(first.getReadableBytes() + next.getReadableBytes());
        moveInto(batch, first);
        do {
            moveInto(batch, next);
        } while (batch.getReadableBytes() < BATCH_BYTES && (next = stream.poll()) != null);
        return batch;
    }

    private static void moveInto(ProtonBuffer batch, ProtonBuffer chunk) {
        try (chunk) {
            batch.ensureWritable(chunk.getReadableBytes());
            ByteBufs.append(batch, chunk);
        }
    }

    private boolean startNext() {
        while (sender.isSendable()) {
            RoutedDelivery next = queue.poll();
            if (next == null) {
                return false;
            }
            if (next.stream().isAborted()) {
                outstanding.decrementAndGet();
                dropped(next, Released.getInstance()); // its sender gave up before we began
                continue;
            }
            current = next;
            currentOut = sender.next();
            currentOut.setMessageFormat(next.messageFormat());
            currentOut.setLinkedResource(next);
            if (next.isSettled()) {
                currentOut.settle();
            }
            return true;
        }
        return false;
    }

    private void currentSent() {
        if (address != null) {
            address.metrics().deliveryOut();
        }
        if (current.isSettled()) {
            outstanding.decrementAndGet();
            current.finish(Accepted.getInstance());
        }
        current = null;
        currentOut = null;
        idleCheck();
    }

    private void abortCurrent() {
        abortOut();
        current.stream().closeReader();
        outstanding.decrementAndGet();
        current.finish(Released.getInstance());
        current = null;
        currentOut = null;
        idleCheck();
    }

    /**
     * Aborts the delivery being sent. protonj2 1.1.0 does not count an aborted transfer against
     * the session's transfer ids while its peer does, so from then on the session's window is one
     * transfer off and a later delivery on it stalls for good once the window runs out. A link of
     * our own (a stream link, alone on its session) is therefore not used again: it is closed, with
     * its session, once idle. A client's link stays: the client owns it.
     */
    private void abortOut() {
        currentOut.abort();
        spoiled = onIdle != null;
    }

    /**
     * Tells the idle listener once the link has nothing queued, nothing being sent and nothing
     * unsettled: a link closed while a delivery it sent awaits its outcome (a TCP flow's stream is
     * settled only when the flow ends) would fail that delivery.
     */
    private void idleCheck() {
        if (onIdle != null && !closed && !reportedIdle && current == null && queue.isEmpty() && !sender.hasUnsettled()) {
            if (spoiled) {
                close();
                return;
            }
            reportedIdle = true;
            onIdle.idle(this);
        }
    }

    /**
     * Detaches the link from our side; what it still holds goes back as for a lost link. A link of
     * our own that has a session of its own (a stream link) ends the session too. On the event loop.
     */
    public void close() {
        if (!closed) {
            closeLink();
            sender.close();
            if (onIdle != null) {
                sender.getSession().close();
            }
        }
    }

    private void onOutcome(OutgoingDelivery out) {
        DeliveryState state = out.getRemoteState();
        if (!out.isRemotelySettled() && !(state instanceof Outcome)) {
            return; // not final yet
        }
        RoutedDelivery delivery = (RoutedDelivery) out.getLinkedResource();
        if (delivery != null && delivery == current) {
            // the client settled before we finished sending: stop streaming the rest
            current.stream().closeReader();
            if (pending != null) {
                pending.close();
                pending = null;
            }
            abortOut();
            current = null;
            currentOut = null;
            idleCheck();
        } else if (!out.isSettled()) {
            out.settle();
        }
        if (delivery != null && !delivery.isSettled() && !delivery.isFinished()) {
            outstanding.decrementAndGet();
            delivery.finish(state == null ? Accepted.getInstance() : state);
        }
        idleCheck();
    }

    private void onRemoteDetach(boolean closing) {
        if (!closed) {
            closeLink();
        }
        if (!sender.isLocallyClosedOrDetached()) {
            if (closing) {
                sender.close();
            } else {
                sender.detach();
            }
        }
    }

    void connectionLost() {
        if (!closed) {
            closeLink();
        }
    }

    /** The consumer is gone: queued copies go to another consumer or back released; sent ones come back modified. */
    private void closeLink() {
        closed = true;
        if (address != null) {
            address.removeConsumer(this);
        }
        connection.unregistered(this);
        connection.core().metrics().linksActive.decrement();
        if (pending != null) {
            pending.close();
            pending = null;
        }
        if (current != null) {
            current.stream().closeReader();
            outstanding.decrementAndGet();
            current.finish(DELIVERY_FAILED);
            current = null;
        }
        for (OutgoingDelivery out : sender.unsettled()) {
            RoutedDelivery delivery = (RoutedDelivery) out.getLinkedResource();
            if (delivery != null && !delivery.isFinished()) {
                outstanding.decrementAndGet();
                delivery.finish(DELIVERY_FAILED);
            }
        }
        RoutedDelivery queued;
        while ((queued = queue.poll()) != null) {
            redirect(queued);
        }
        if (address != null) {
            connection.core().addresses().release(address);
        }
    }

    /** A copy this link will never send: another local consumer of the address may take it, else it goes back. */
    private void redirect(RoutedDelivery delivery) {
        outstanding.decrementAndGet();
        Consumer other = delivery.isSettled() || address == null ? null
            : address.choose(c -> c != this && c.routerId() == null);
        if (other != null) {
            delivery.assignTo(other);
        } else {
            dropped(delivery, Released.getInstance());
        }
    }

    private void dropped(RoutedDelivery delivery, DeliveryState outcome) {
        delivery.stream().closeReader();
        delivery.finish(outcome);
    }
}
