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
import org.apache.qpid.protonj2.types.transport.ErrorCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.config.Distribution;
import io.camelvan.router.core.Address;
import io.camelvan.router.core.Consumer;
import io.camelvan.router.core.DeliveryOrigin;
import io.camelvan.router.core.DeliveryStream;
import io.camelvan.router.core.RoutedDelivery;
import io.camelvan.router.core.RouterCore;

/**
 * One delivery arriving on an {@link InboundLink}: routed as soon as its address is known, then
 * cut through frame by frame into the stream of each copy. It settles with its sender once the
 * copies' outcomes are in: the consumer's outcome for anycast, accepted once sent for multicast.
 */
final class InboundDelivery implements DeliveryOrigin {

    private static final Logger LOG = LoggerFactory.getLogger(InboundDelivery.class);
    /** Most bytes held while looking for the {@code to} of an anonymous-relay message. */
    private static final int MAX_HEAD = 64 * 1024;

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
            long max = link.connection().listener().maxMessageSize();
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

    /** @return false while the address is not known yet */
    private boolean route() {
        RouterCore core = link.connection().core();
        address = link.address();
        if (address == null) {
            MessageInspector.Peek peek;
            try {
                peek = link.connection().inspector().peekTo(head, delivery.isPartial() && head.getReadableBytes() < MAX_HEAD);
            } catch (DecodeException e) {
                settleAndDiscard(new Rejected(AmqpErrors.decodeError("not a valid AMQP message: " + e.getMessage())));
                return false;
            }
            if (!peek.complete()) {
                return false;
            }
            if (peek.to() == null) {
                settleAndDiscard(new Rejected(AmqpErrors.invalidField(
                    "a message sent on the anonymous relay needs a 'to' address")));
                return false;
            }
            address = core.addresses().lookup(peek.to());
            if (address == null) {
                ErrorCondition gone = core.isLocalTemporary(peek.to())
                    ? AmqpErrors.notFound("temporary address '" + peek.to() + "' does not exist") : null;
                settleAndDiscard(gone != null ? new Rejected(gone) : Released.getInstance());
                return false;
            }
        }
        routed = true;
        address.metrics().deliveryIn();
        ProtonBuffer first = head;
        head = null;
        if (address.distribution() == Distribution.MULTICAST) {
            routeMulticast(first);
        } else {
            routeAnycast(first);
        }
        return !discarding;
    }

    private void routeAnycast(ProtonBuffer first) {
        Consumer consumer = address.choose(null);
        if (consumer == null) {
            if (first != null) {
                first.close();
            }
            settleAndDiscard(Released.getInstance());
            return;
        }
        RoutedDelivery copy = newCopy(delivery.isRemotelySettled(), first);
        copy.assignTo(consumer);
    }

    private void routeMulticast(ProtonBuffer first) {
        Consumer[] consumers = address.consumers();
        if (consumers.length == 0) {
            if (first != null) {
                first.close();
            }
            // a topic with no subscriber drops the message, as a broker would; the sender is not at fault
            settleAndDiscard(Accepted.getInstance());
            return;
        }
        List<RoutedDelivery> copies = new ArrayList<>(consumers.length);
        for (int i = 0; i < consumers.length; i++) {
            ProtonBuffer bytes = first == null ? null : i == consumers.length - 1 ? first : duplicate(first);
            copies.add(newCopy(true, bytes));
        }
        for (int i = 0; i < consumers.length; i++) {
            copies.get(i).assignTo(consumers[i]);
        }
    }

    private RoutedDelivery newCopy(boolean settledCopy, ProtonBuffer first) {
        DeliveryStream stream = new DeliveryStream(wakeup);
        streams.add(stream);
        unfinishedCopies++;
        if (first != null && !stream.write(first)) {
            paused = true;
        }
        if (!delivery.isPartial()) {
            stream.complete();
        }
        return new RoutedDelivery(address.name(), delivery.getMessageFormat(), settledCopy, this, stream);
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
        if (head != null) {
            head.close();
            head = null;
        }
        settleAndDiscard(new Rejected(AmqpErrors.messageSizeExceeded(
            "message exceeds the maximum message size of " + max + " bytes")));
    }

    /** Swallows whatever else arrives of this delivery, then settles it with {@code outcome}. */
    private void settleAndDiscard(DeliveryState outcome) {
        discarding = true;
        paused = false;
        settle(outcome);
        checkReceived();
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
        if (!link.isClosed()) {
            link.deliveryDone();
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
            }
        });
    }
}
