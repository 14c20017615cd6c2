package io.camelvan.router.amqp;

import java.util.ArrayList;
import java.util.List;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.transport.DeliveryState;

import io.camelvan.router.config.Distribution;
import io.camelvan.router.core.CopyPlan;
import io.camelvan.router.core.DeliveryOrigin;
import io.camelvan.router.core.DeliveryStream;
import io.camelvan.router.core.RoutedDelivery;
import io.camelvan.router.core.RouterCore;
import io.camelvan.router.core.VanAnnotations;

/**
 * Where one delivery enters forwarding: the forwarder's plan turned into copies, each with the
 * start of the message rewritten for where it goes (router annotations added for the next router,
 * removed for a client), then every further chunk appended to all of them. The source of the bytes
 * (an AMQP link, a TCP socket, an HTTP request) is its {@link Owner}, which hears when to pause and
 * resume and what became of the delivery. Used on the owner's event loop only.
 */
public final class Ingress implements DeliveryOrigin {

    /** Complete messages larger than this still cross the mesh on a link of their own. */
    static final int STREAMING_SIZE = 64 * 1024;

    /** What feeds an ingress and hears what became of the delivery. All calls come on its own thread. */
    public interface Owner {

        /** Runs a task on the owner's thread, later (never re-entering the caller). */
        void later(Runnable task);

        /** A copy has drained: the owner may read and write again after a {@link #write} returned false. */
        void resume();

        /** The delivery's outcome: the consumer's for anycast; accepted once copied for multicast. Once. */
        void outcome(DeliveryState outcome);

        /** Every copy has ended, sent or settled: nothing of the delivery is held in the router any more. */
        void finished();
    }

    private final Owner owner;
    private final List<DeliveryStream> streams = new ArrayList<>(1);
    private int unfinishedCopies;
    private boolean outcomeGiven;

    private Ingress(Owner owner) {
        this.owner = owner;
    }

    /**
     * Routes a delivery and makes its copies.
     *
     * @param to the routing address
     * @param in the annotations of the router it came from, or null from a client
     * @param parsed the parsed start of the message, or null when no copy needs it rewritten
     * @param head the bytes of the message so far (ownership passes here); may be null
     * @param plans the forwarder's plan for it, not empty
     * @param preSettled the source sent it pre-settled: no outcome is wanted
     * @param complete the head is the whole message
     * @param size the bytes of the message so far
     * @return the ingress, and {@link #isPaused} tells whether the copies already want no more for now
     */
    public static Ingress route(RouterCore core, String to, VanAnnotations in, MessageHead.Parsed parsed,
            ProtonBuffer head, List<CopyPlan> plans, boolean preSettled, boolean complete, long size, int messageFormat,
            Owner owner) {
        Ingress ingress = new Ingress(owner);
        boolean multicast = core.addresses().distributionOf(to) == Distribution.MULTICAST;
        boolean streaming = !complete || size > STREAMING_SIZE;
        List<String> trace = null;
        RoutedDelivery[] copies = new RoutedDelivery[plans.size()];
        for (int i = 0; i < copies.length; i++) {
            CopyPlan plan = plans.get(i);
            ProtonBuffer bytes = head == null ? null : i == copies.length - 1 ? head : duplicate(head);
            VanAnnotations out = null;
            if (plan.crossesRouters()) {
                if (trace == null) {
                    trace = new ArrayList<>(in == null ? List.of() : in.trace());
                    trace.add(core.routerId());
                }
                String ingressRouter = in != null && in.ingress() != null ? in.ingress() : core.routerId();
                out = new VanAnnotations(to, ingressRouter, trace, plan.dests().isEmpty() ? null : plan.dests());
            }
            RoutedDelivery copy = ingress.newCopy(to, messageFormat, multicast || preSettled, streaming);
            if (bytes != null && (out != null || (parsed != null && parsed.hasVanAnnotations()))) {
                for (ProtonBuffer part : MessageHead.get().rewrite(bytes, parsed, out)) {
                    ingress.append(copy, part);
                }
            } else if (bytes != null) {
                ingress.append(copy, bytes);
            }
            if (complete) {
                copy.stream().complete();
            }
            copies[i] = copy;
        }
        for (int i = 0; i < copies.length; i++) {
            copies[i].assignTo(plans.get(i).target());
        }
        if (multicast) {
            // a multicast delivery is the router's once copied: accepted now, so a slow subscriber
            // never holds up the publisher's settlement; the copies still count until they are sent
            ingress.giveOutcome(Accepted.getInstance());
        }
        return ingress;
    }

    private boolean paused;

    private RoutedDelivery newCopy(String to, int messageFormat, boolean settledCopy, boolean streaming) {
        DeliveryStream stream = new DeliveryStream(() -> owner.later(this::drained));
        streams.add(stream);
        unfinishedCopies++;
        return new RoutedDelivery(to, messageFormat, settledCopy, streaming, this, stream);
    }

    /** Writes the start of the message to a copy not yet handed to its consumer. */
    private void append(RoutedDelivery copy, ProtonBuffer part) {
        if (!copy.stream().write(part)) {
            paused = true;
        }
    }

    private void drained() {
        if (paused) {
            paused = false;
            owner.resume();
        }
    }

    /** True when a copy wants no more bytes until {@link Owner#resume}. */
    public boolean isPaused() {
        return paused;
    }

    /**
     * Appends the next chunk of the message to every copy (ownership passes here).
     *
     * @return false when the owner should stop reading until {@link Owner#resume}
     */
    public boolean write(ProtonBuffer chunk) {
        int n = streams.size();
        for (int i = 0; i < n; i++) {
            ProtonBuffer bytes = i == n - 1 ? chunk : duplicate(chunk);
            if (!streams.get(i).write(bytes)) {
                paused = true;
            }
        }
        return !paused;
    }

    /** The last byte has been written. */
    public void complete() {
        streams.forEach(DeliveryStream::complete);
    }

    /** The source gave up on the delivery: the consumers' copies are aborted. */
    public void abort() {
        streams.forEach(DeliveryStream::abort);
    }

    private static ProtonBuffer duplicate(ProtonBuffer buffer) {
        return buffer.copy(buffer.getReadOffset(), buffer.getReadableBytes(), true);
    }

    private void giveOutcome(DeliveryState state) {
        if (!outcomeGiven) {
            outcomeGiven = true;
            owner.outcome(state);
        }
    }

    private void copyFinished() {
        if (--unfinishedCopies == 0) {
            giveOutcome(Accepted.getInstance());
            owner.finished();
        }
    }

    // ----- DeliveryOrigin: from the consumers' event loops

    @Override
    public void outcome(RoutedDelivery copy, DeliveryState state) {
        owner.later(() -> {
            giveOutcome(state);
            copyFinished();
        });
    }

    @Override
    public void sent(RoutedDelivery copy) {
        owner.later(this::copyFinished);
    }
}
