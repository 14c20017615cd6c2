package io.camelvan.router.amqp;

import java.util.List;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.codec.DecodeException;
import org.apache.qpid.protonj2.engine.IncomingDelivery;
import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.Rejected;
import org.apache.qpid.protonj2.types.messaging.Released;
import org.apache.qpid.protonj2.types.transport.DeliveryState;
import org.apache.qpid.protonj2.types.transport.ErrorCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.config.Distribution;
import io.camelvan.router.core.Address;
import io.camelvan.router.core.CopyPlan;
import io.camelvan.router.core.RouterCore;
import io.camelvan.router.core.VanAnnotations;

/**
 * One delivery arriving on an {@link InboundLink}: held until enough of it has arrived to route it,
 * then handed to an {@link Ingress} frame by frame. It settles with its sender once the outcome is
 * in, but never before its last frame has arrived.
 */
final class InboundDelivery implements Ingress.Owner {

    private static final Logger LOG = LoggerFactory.getLogger(InboundDelivery.class);
    /** Most bytes held while waiting for the start of a message to be complete enough to route it. */
    private static final int MAX_HEAD = 64 * 1024;

    private final InboundLink link;
    private final IncomingDelivery delivery;
    private Ingress ingress;
    private Address address;
    private ProtonBuffer head;
    private long size;
    private boolean paused;
    private boolean discarding;
    private boolean received;
    private boolean settled;
    private boolean creditReturned;
    private DeliveryState pendingOutcome;

    InboundDelivery(InboundLink link, IncomingDelivery delivery) {
        this.link = link;
        this.delivery = delivery;
    }

    /** More bytes (or the end) have arrived. */
    void onRead() {
        if (paused) {
            return; // leave them in the engine: the session window closes behind them
        }
        ProtonBuffer chunk = delivery.readAll();
        if (discarding) {
            if (chunk != null) {
                chunk.close();
            }
            checkReceived();
            return;
        }
        if (chunk != null) {
            size += chunk.getReadableBytes();
            long max = link.connection().settings().maxMessageSize();
            if (max > 0 && size > max) {
                chunk.close();
                tooLarge(max);
                return;
            }
        }
        if (ingress == null) {
            head = append(head, chunk);
            if (!route()) {
                return;
            }
        } else if (chunk != null && !ingress.write(chunk)) {
            paused = true;
        }
        if (!delivery.isPartial()) {
            ingress.complete();
        }
        checkReceived();
    }

    @Override
    public void resume() {
        paused = false;
        onRead();
    }

    /** @return false while the start of the message is not complete enough to route it, or when refused */
    private boolean route() {
        RouterCore core = link.connection().core();
        boolean more = delivery.isPartial() && (head == null || head.getReadableBytes() < MAX_HEAD);
        MessageHead.Parsed parsed = null;
        String to;
        VanAnnotations in = null;
        List<CopyPlan> plans;
        if (link.addressing() == InboundLink.Addressing.FIXED) {
            to = link.fixedAddress();
            plans = core.forwarder().plan(to, null);
            if (crossesRouters(plans)) {
                parsed = parse(more);
                if (parsed == null) {
                    return false;
                }
            }
        } else {
            parsed = parse(more);
            if (parsed == null) {
                return false;
            }
            if (link.addressing() == InboundLink.Addressing.PEER) {
                in = parsed.van();
                if (in == null || in.to() == null) {
                    return refuse(new Rejected(AmqpErrors.decodeError("a delivery from another router lacks its routing annotations")));
                }
                if (in.trace().contains(core.routerId())) {
                    LOG.debug("[{}] dropped a delivery for '{}' that came back along {}", core.routerId(), in.to(), in.trace());
                    return refuse(Released.getInstance());
                }
                if (in.ingress() != null) {
                    core.cameFrom(in.ingress(), link.connection().peerHop());
                }
                to = in.to();
            } else {
                to = parsed.to();
                if (to == null) {
                    return refuse(new Rejected(AmqpErrors.invalidField(
                        "a message sent on the anonymous relay needs a 'to' address")));
                }
                ErrorCondition forbidden = RouterCore.owner(to) == null ? InboundLink.refusal(link.connection(), to) : null;
                if (forbidden != null) {
                    return refuse(new Rejected(forbidden));
                }
            }
            plans = core.forwarder().plan(to, in);
        }
        address = core.addresses().lookup(to);
        if (address != null) {
            address.metrics().deliveryIn();
        }
        if (plans.isEmpty()) {
            return refuse(nowhereToGo(core, to, in));
        }
        ProtonBuffer first = head;
        head = null;
        ingress = Ingress.route(core, to, in, parsed, first, plans, delivery.isRemotelySettled(), !delivery.isPartial(),
            size, delivery.getMessageFormat(), this);
        paused = ingress.isPaused();
        return !discarding;
    }

    private static boolean crossesRouters(List<CopyPlan> plans) {
        for (int i = 0; i < plans.size(); i++) {
            if (plans.get(i).crossesRouters()) {
                return true;
            }
        }
        return false;
    }

    private MessageHead.Parsed parse(boolean more) {
        if (head == null) {
            if (!more) {
                refuse(new Rejected(AmqpErrors.decodeError("an empty message")));
            }
            return null;
        }
        try {
            return MessageHead.get().parse(head, more);
        } catch (DecodeException e) {
            refuse(new Rejected(AmqpErrors.decodeError("not a valid AMQP message: " + e.getMessage())));
            return null;
        }
    }

    /** The outcome for a delivery no consumer can take. */
    private static DeliveryState nowhereToGo(RouterCore core, String to, VanAnnotations in) {
        String owner = RouterCore.owner(to);
        if (owner != null && in == null) {
            return new Rejected(AmqpErrors.notFound("temporary address '" + to + "' does not exist"
                + (owner.equals(core.routerId()) ? "" : " or router '" + owner + "' cannot be reached")));
        }
        if (in == null && core.addresses().distributionOf(to) == Distribution.MULTICAST) {
            // a topic with no subscriber drops the message, as a broker would; the sender is not at fault
            return Accepted.getInstance();
        }
        return Released.getInstance();
    }

    private ProtonBuffer append(ProtonBuffer head, ProtonBuffer chunk) {
        if (chunk == null) {
            return head;
        }
        if (head == null) {
            return chunk;
        }
        ProtonBuffer joined = link.connection().allocator().allocate(head.getReadableBytes() + chunk.getReadableBytes());
        joined.writeBytes(head).writeBytes(chunk);
        head.close();
        chunk.close();
        return joined;
    }

    private void tooLarge(long max) {
        link.connection().core().metrics().deliveriesRejectedTooLarge.increment();
        LOG.info("[{}] rejected a message from {} larger than maxMessageSize {} bytes",
            link.connection().core().routerId(), link.connection().peer(), max);
        if (ingress != null) {
            ingress.abort();
        }
        refuse(new Rejected(AmqpErrors.messageSizeExceeded(
            "message exceeds the maximum message size of " + max + " bytes")));
    }

    /** Swallows whatever else arrives of this delivery, then settles it with {@code outcome}. */
    private boolean refuse(DeliveryState outcome) {
        if (head != null) {
            head.close();
            head = null;
        }
        discarding = true;
        paused = false;
        settle(outcome);
        creditBack();
        checkReceived();
        return false;
    }

    // ----- Ingress.Owner

    @Override
    public void later(Runnable task) {
        link.connection().later(task);
    }

    @Override
    public void outcome(DeliveryState state) {
        if (delivery.isPartial() && !received) {
            // the consumer settled early (it rejected, or went away): the rest is not wanted
            ingress.abort();
            discarding = true;
        }
        settle(state);
        if (discarding && paused) {
            paused = false;
            onRead();
        }
    }

    @Override
    public void finished() {
        creditBack();
    }

    /**
     * Settles with the sender, but never before its last frame has arrived: a sender that sees a
     * partial delivery settled may start the next one on the link, which the engine refuses.
     */
    private void settle(DeliveryState outcome) {
        if (settled || pendingOutcome != null) {
            return;
        }
        if (delivery.isPartial() && !delivery.isAborted() && !link.isClosed()) {
            pendingOutcome = outcome;
            return;
        }
        settled = true;
        if (!delivery.isSettled() && !delivery.isRemotelySettled() && !link.isClosed()) {
            delivery.disposition(outcome, true);
        }
        if (address != null) {
            address.metrics().outcome(outcome);
        }
    }

    /** The delivery no longer holds any of its link's credit window. Once only. */
    private void creditBack() {
        if (!creditReturned) {
            creditReturned = true;
            if (!link.isClosed()) {
                link.deliveryDone();
            }
        }
    }

    private void checkReceived() {
        if (!received && !delivery.isPartial()) {
            received = true;
            link.deliveryReceived(this);
            if (pendingOutcome != null) {
                DeliveryState outcome = pendingOutcome;
                pendingOutcome = null;
                settle(outcome);
            }
        }
    }

    /** The sender aborted the delivery, or went away before finishing it. */
    void onAborted() {
        if (ingress != null) {
            ingress.abort();
        }
        if (head != null) {
            head.close();
            head = null;
        }
        discarding = true;
        received = true;
        link.deliveryReceived(this);
        settle(Released.getInstance());
        creditBack();
    }
}
