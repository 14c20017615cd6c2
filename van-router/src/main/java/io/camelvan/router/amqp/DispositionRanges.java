package io.camelvan.router.amqp;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.engine.AMQPPerformativeEnvelopePool;
import org.apache.qpid.protonj2.engine.EngineHandler;
import org.apache.qpid.protonj2.engine.EngineHandlerContext;
import org.apache.qpid.protonj2.engine.HeaderEnvelope;
import org.apache.qpid.protonj2.engine.OutgoingAMQPEnvelope;
import org.apache.qpid.protonj2.engine.SASLEnvelope;
import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.Released;
import org.apache.qpid.protonj2.types.transport.DeliveryState;
import org.apache.qpid.protonj2.types.transport.Disposition;

/**
 * Sends the settlements of consecutive deliveries of a session as one disposition frame for the
 * range (first..last) instead of one frame each. The router settles a producer's deliveries in
 * bursts, as their consumers' outcomes come back, and every frame costs an encoding, a pooled
 * buffer and a socket write here and a decoding at the peer; protonj2 1.1.0 writes one per delivery.
 *
 * <p>A settlement is held only until the next frame of any kind or the connection's next flush
 * ({@link #flush}), so frames keep their order and none waits longer than it would for the socket.
 * Only settled Accepted and Released dispositions are merged: they carry nothing per delivery.
 * Sits first in the engine's pipeline, which is where writes enter it.
 */
final class DispositionRanges implements EngineHandler {

    private static final long ID_MASK = 0xFFFF_FFFFL;

    private final AMQPPerformativeEnvelopePool<OutgoingAMQPEnvelope> envelopes =
        AMQPPerformativeEnvelopePool.outgoingEnvelopePool();
    private EngineHandlerContext context;
    /** The range being gathered (our own copy), or null. */
    private Disposition held;
    private int heldChannel;
    private long heldLast;

    @Override
    public void handlerAdded(EngineHandlerContext context) {
        this.context = context;
    }

    @Override
    public void handleWrite(EngineHandlerContext context, OutgoingAMQPEnvelope frame) {
        if (frame.getBody() instanceof Disposition disposition && isMergeable(disposition)) {
            if (!extendsHeld(frame.getChannel(), disposition)) {
                writeHeld();
                held = disposition.copy();
                heldChannel = frame.getChannel();
            }
            heldLast = disposition.getFirst();
            // the frame's body is protonj2's, reused for the next disposition: what it says is copied above
            frame.handleOutgoingFrameWriteComplete();
            return;
        }
        writeHeld();
        context.fireWrite(frame);
    }

    @Override
    public void handleWrite(EngineHandlerContext context, HeaderEnvelope frame) {
        writeHeld();
        context.fireWrite(frame);
    }

    @Override
    public void handleWrite(EngineHandlerContext context, SASLEnvelope frame) {
        writeHeld();
        context.fireWrite(frame);
    }

    @Override
    public void handleWrite(EngineHandlerContext context, ProtonBuffer buffer, Runnable written) {
        writeHeld();
        context.fireWrite(buffer, written);
    }

    /** Writes the range being gathered, if any; the connection calls this before each flush of its socket. */
    void flush() {
        if (held == null) {
            return;
        }
        if (context.engine().isShutdown() || context.engine().isFailed()) {
            held = null;
            return;
        }
        try {
            writeHeld();
        } catch (RuntimeException e) {
            context.engine().engineFailed(e); // as the pipeline does for a write that fails inside it
        }
    }

    private void writeHeld() {
        Disposition range = held;
        if (range == null) {
            return;
        }
        held = null;
        if (heldLast != range.getFirst()) {
            range.setLast(heldLast);
        }
        context.fireWrite(envelopes.take(range, heldChannel, null));
    }

    private boolean extendsHeld(int channel, Disposition next) {
        return held != null && channel == heldChannel && next.getRole() == held.getRole()
            && next.getFirst() == ((heldLast + 1) & ID_MASK) && outcome(next) == outcome(held);
    }

    private static boolean isMergeable(Disposition disposition) {
        return disposition.getSettled() && !disposition.getBatchable() && outcome(disposition) != null
            && (!disposition.hasLast() || disposition.getLast() == disposition.getFirst());
    }

    /** Accepted or Released, or null for an outcome that carries something of its own (never merged). */
    private static Class<?> outcome(Disposition disposition) {
        DeliveryState state = disposition.getState();
        return state instanceof Accepted || state instanceof Released ? state.getClass() : null;
    }
}
