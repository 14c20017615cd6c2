package io.camelvan.router.adaptor;

import java.util.List;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.netty.Netty4ProtonBufferAllocator;
import org.apache.qpid.protonj2.types.transport.DeliveryState;

import io.camelvan.router.amqp.DataSections;
import io.camelvan.router.amqp.Ingress;
import io.camelvan.router.amqp.MessageHead;
import io.camelvan.router.core.CopyPlan;
import io.camelvan.router.core.RouterCore;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * One message an adaptor sends from the bytes it reads off a socket: its head, then each chunk read
 * as one {@code data} section, cut through to the consumer as it is read (the chunk itself is
 * wrapped, never copied). While the message's buffer in the router is full the socket is not read
 * ({@link ReadGate.Reason#STREAM}). Used on the socket's event loop.
 */
public final class StreamSender implements Ingress.Owner {

    /** What the sender of the message hears of it. */
    public interface Events {

        /** The consumer's outcome (released when it took none); once. */
        void outcome(DeliveryState outcome);
    }

    private final RouterCore core;
    private final Channel channel;
    private final ReadGate gate;
    private final Events events;
    private final Netty4ProtonBufferAllocator allocator;
    private Ingress ingress;
    private boolean ended;

    /** @param channel the socket read into the message, and whose event loop this runs on */
    public StreamSender(RouterCore core, Channel channel, ReadGate gate, Events events) {
        this.core = core;
        this.channel = channel;
        this.gate = gate;
        this.events = events;
        this.allocator = new Netty4ProtonBufferAllocator(channel.alloc());
    }

    /** The allocator whose buffers wrap the socket's memory. */
    public Netty4ProtonBufferAllocator allocator() {
        return allocator;
    }

    /**
     * Routes the message and sends its start.
     *
     * @param head the start of the message, from its properties on, as {@link MessageHeads} encodes it
     *     (ownership passes here)
     * @param complete whether {@code head} is the whole message
     * @return false when no consumer of {@code to} can be reached (nothing was sent)
     */
    public boolean start(String to, ProtonBuffer head, boolean complete) {
        List<CopyPlan> plans = core.forwarder().plan(to, null);
        if (plans.isEmpty()) {
            head.close();
            ended = true;
            return false;
        }
        // the adaptor's own head begins with its properties: nothing in it needs parsing
        MessageHead.Parsed parsed = plans.stream().anyMatch(CopyPlan::crossesRouters) ? MessageHead.Parsed.unannotated(to) : null;
        ingress = Ingress.route(core, to, null, parsed, head, plans, false, complete, head.getReadableBytes(), 0,
            this);
        ended = complete;
        if (ingress.isPaused()) {
            gate.hold(ReadGate.Reason.STREAM);
        }
        return true;
    }

    /** Sends bytes read from the socket as one data section (ownership of {@code bytes} passes here). */
    public void send(ByteBuf bytes) {
        if (ended) {
            bytes.release();
            return;
        }
        // the section's framing and the bytes as one chunk: one transfer frame on each hop, not two
        ProtonBuffer section = allocator.composite(new ProtonBuffer[] {
            DataSections.header(allocator, bytes.readableBytes()).convertToReadOnly(), allocator.wrap(bytes).convertToReadOnly()});
        if (!ingress.write(section)) {
            gate.hold(ReadGate.Reason.STREAM);
        }
    }

    /** Sends an empty data section (an HTTP message without a body has one). */
    public void sendEmptySection() {
        if (!ended && !ingress.write(DataSections.header(allocator, 0))) {
            gate.hold(ReadGate.Reason.STREAM);
        }
    }

    /** The last byte has been sent. */
    public void complete() {
        if (!ended) {
            ended = true;
            ingress.complete();
        }
    }

    /** The message will not be finished: the consumer's copy is aborted. */
    public void abort() {
        if (!ended) {
            ended = true;
            ingress.abort();
        }
        gate.release(ReadGate.Reason.STREAM);
    }

    public boolean isEnded() {
        return ended;
    }

    // ----- Ingress.Owner, on the event loop

    @Override
    public void later(Runnable task) {
        channel.eventLoop().execute(task);
    }

    @Override
    public void resume() {
        gate.release(ReadGate.Reason.STREAM);
    }

    @Override
    public void outcome(DeliveryState outcome) {
        events.outcome(outcome);
    }

    @Override
    public void finished() {
        // the copy's bytes are gone from the router: nothing is held for this message any more
    }
}
