package io.camelvan.router.amqp;

import java.util.ArrayList;
import java.util.List;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.codec.DecodeException;
import org.apache.qpid.protonj2.engine.IncomingDelivery;
import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.Rejected;
import org.apache.qpid.protonj2.types.messaging.Released;
import org.apache.qpid.protonj2.types.transport.DeliveryState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.config.Distribution;
import io.camelvan.router.core.Address;
import io.camelvan.router.core.CopyPlan;
import io.camelvan.router.core.DeliveryOrigin;
import io.camelvan.router.core.DeliveryStream;
import io.camelvan.router.core.RoutedDelivery;
import io.camelvan.router.core.RouterCore;
import io.camelvan.router.core.VanAnnotations;

/**
 * One delivery arriving on an {@link InboundLink}: routed as soon as its address is known, then
 * cut through frame by frame into the stream of each copy. It settles with its sender once the
 * copies' outcomes are in: the consumer's outcome for anycast, accepted once sent for multicast.
 */
final class InboundDelivery implements DeliveryOrigin {

    private static final Logger LOG = LoggerFactory.getLogger(InboundDelivery.class);
    /** Most bytes held while waiting for the start of a message to be complete enough to route it. */
    private static final int MAX_HEAD = 64 * 1024;
    /** Complete messages larger than this still cross the mesh on a link of their own. */
    private static final int STREAMING_SIZE = 64 * 1024;

    private final InboundLink link;
    private final IncomingDelivery delivery;
    private final Runnable wakeup;
    private final List<DeliveryStream> streams = new ArrayList<>(1);
    private Address address;
    private ProtonBuffer head;
    private long size;
    private int unfinishedCopies;
    private boolean routed;
    private boolean paused;
    private boolean discarding;
    private boolean received;
    private boolean settled;
    private DeliveryState pendingOutcome;
    private boolean creditReturned;

    InboundDelivery(InboundLink link, IncomingDelivery delivery) {
        this.link = link;
        this.delivery = delivery;
        this.wakeup = () -> link.connection().later(this::resume);
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
        if (!routed) {
            head = append(head, chunk);
            if (!route()) {
                return;
            }
        } else if (chunk != null) {
            write(chunk);
        }
        if (!delivery.isPartial()) {
            streams.forEach(DeliveryStream::complete);
        }
        checkReceived();
    }

    private void resume() {
        paused = false;
        onRead();
    }

    /** @return false while the start of the message is not complete enough to route it */
    private boolean route() {
        RouterCore core = link.connection().core();
        boolean more = delivery.isPartial() && (head == null || head.getReadableBytes() < MAX_HEAD);
        MessageHead.Parsed parsed = null;
        String to;
        VanAnnotations in = null;
        List<CopyPlan> plans = null;
        if (link.addressing() == InboundLink.Addressing.FIXED) {
            to = link.fixedAddress();
            plans = core.forwarder().plan(to, null);
            if (plans.stream().anyMatch(CopyPlan::crossesRouters)) {
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
                to = in.to();
            } else {
                to = parsed.to();
                if (to == null) {
                    return refuse(new Rejected(AmqpErrors.invalidField(
                        "a message sent on the anonymous relay needs a 'to' address")));
                }
            }
            plans = core.forwarder().plan(to, in);
        }
        routed = true;
        address = core.addresses().lookup(to);
        if (address != null) {
            address.metrics().deliveryIn();
        }
        if (plans.isEmpty()) {
            return refuse(nowhereToGo(core, to, in));
        }
        makeCopies(to, in, parsed, plans);
        return !discarding;
    }

    private MessageHead.Parsed parse(boolean more) {
        if (head == null) {
            return more ? null : emptyMessage();
        }
        try {
            return link.connection().messageHead().parse(head, more);
        } catch (DecodeException e) {
            refuse(new Rejected(AmqpErrors.decodeError("not a valid AMQP message: " + e.getMessage())));
            return null;
        }
    }

    private MessageHead.Parsed emptyMessage() {
        refuse(new Rejected(AmqpErrors.decodeError("an empty message")));
        return null;
    }

    /** The outcome for a delivery no consumer can take. */
    private static DeliveryState nowhereToGo(RouterCore core, String to, VanAnnotations in) {
        String owner = RouterCore.temporaryOwner(to);
        if (owner != null && in == null) {
            return new Rejected(AmqpErrors.notFound("temporary address '" + to + "' does not exist"
                + (owner.equals(core.routerId()) ? "" : " or router '" + owner + "' cannot be reached")));
        }
        if (in == null && core.addresses().settings().distributionOf(to) == Distribution.MULTICAST) {
            // a topic with no subscriber drops the message, as a broker would; the sender is not at fault
            return Accepted.getInstance();
        }
        return Released.getInstance();
    }

    private void makeCopies(String to, VanAnnotations in, MessageHead.Parsed parsed, List<CopyPlan> plans) {
        RouterCore core = link.connection().core();
        boolean multicast = core.addresses().settings().distributionOf(to) == Distribution.MULTICAST;
        boolean settledCopies = multicast || delivery.isRemotelySettled();
        boolean streaming = delivery.isPartial() || size > STREAMING_SIZE;
        List<String> trace = new ArrayList<>(in == null ? List.of() : in.trace());
        trace.add(core.routerId());
        String ingress = in != null && in.ingress() != null ? in.ingress() : core.routerId();
        ProtonBuffer first = head;
        head = null;
        List<RoutedDelivery> copies = new ArrayList<>(plans.size());
        for (int i = 0; i < plans.size(); i++) {
            CopyPlan plan = plans.get(i);
            ProtonBuffer bytes = first == null ? null : i == plans.size() - 1 ? first : duplicate(first);
            VanAnnotations out = plan.crossesRouters()
                ? new VanAnnotations(to, ingress, trace, plan.dests().isEmpty() ? null : plan.dests()) : null;
            ProtonBuffer[] parts = bytes == null ? new ProtonBuffer[0]
                : out != null || (parsed != null && parsed.hasVanAnnotations())
                    ? link.connection().messageHead().rewrite(bytes, parsed, out, link.connection().allocator())
                    : new ProtonBuffer[] {bytes};
            copies.add(newCopy(to, settledCopies, streaming, parts));
        }
        for (int i = 0; i < plans.size(); i++) {
            copies.get(i).assignTo(plans.get(i).target());
        }
        if (multicast) {
            // a multicast delivery is the router's once copied: accepted now, so a slow subscriber
            // never holds up the publisher's settlement; credit comes back as the copies go out
            settle(Accepted.getInstance(), false);
        }
    }

    private RoutedDelivery newCopy(String to, boolean settledCopy, boolean streaming, ProtonBuffer[] parts) {
        DeliveryStream stream = new DeliveryStream(wakeup);
        streams.add(stream);
        unfinishedCopies++;
        for (ProtonBuffer part : parts) {
            if (!stream.write(part)) {
                paused = true;
            }
        }
        if (!delivery.isPartial()) {
            stream.complete();
        }
        return new RoutedDelivery(to, delivery.getMessageFormat(), settledCopy, streaming, this, stream);
    }

    private void write(ProtonBuffer chunk) {
        int n = streams.size();
        for (int i = 0; i < n; i++) {
            ProtonBuffer bytes = i == n - 1 ? chunk : duplicate(chunk);
            if (!streams.get(i).write(bytes)) {
                paused = true;
            }
        }
    }

    private static ProtonBuffer duplicate(ProtonBuffer buffer) {
        return buffer.copy(buffer.getReadOffset(), buffer.getReadableBytes(), true);
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
        streams.forEach(DeliveryStream::abort);
        refuse(new Rejected(AmqpErrors.messageSizeExceeded(
            "message exceeds the maximum message size of " + max + " bytes")));
    }

    /** Swallows whatever else arrives of this delivery, then settles it with {@code outcome}. */
    private boolean refuse(DeliveryState outcome) {
        if (head != null) {
            head.close();
            head = null;
        }
        routed = true;
        discarding = true;
        paused = false;
        settle(outcome);
        checkReceived();
        return false;
    }

    /**
     * Settles with the sender, but never before its last frame has arrived: a sender that sees a
     * partial delivery settled may start the next one on the link, which the engine refuses.
     */
    private void settle(DeliveryState outcome) {
        settle(outcome, true);
    }

    /** @param done whether the delivery's credit may be given back now (else when its copies are sent) */
    private void settle(DeliveryState outcome, boolean done) {
        if (done) {
            creditBack();
        }
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
        streams.forEach(DeliveryStream::abort);
        if (head != null) {
            head.close();
            head = null;
        }
        discarding = true;
        received = true;
        link.deliveryReceived(this);
        settle(Released.getInstance());
    }

    // ----- DeliveryOrigin: called from the consumers' event loops

    @Override
    public void outcome(RoutedDelivery copy, DeliveryState state) {
        link.connection().later(() -> {
            if (delivery.isPartial() && !received) {
                // the consumer settled early (it rejected, or went away): the rest is not wanted
                streams.forEach(DeliveryStream::abort);
                discarding = true;
            }
            settle(state);
            if (paused) {
                paused = false;
                onRead();
            }
        });
    }

    @Override
    public void sent(RoutedDelivery copy) {
        link.connection().later(() -> {
            if (--unfinishedCopies == 0) {
                settle(Accepted.getInstance());
                creditBack();
            }
        });
    }
}
