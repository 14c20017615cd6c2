package io.camelvan.router.core;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;

/**
 * The bytes of one delivery on their way through the router: written, frame by frame as they
 * arrive, by the link that receives the delivery (one event loop) and read by the link that sends
 * it on (possibly another event loop). Nothing else is shared between the two sides.
 *
 * <p>The stream holds at most about {@link #HIGH_WATER} bytes: past it, {@link #write} tells the
 * writer to pause, and the reader wakes it again once it has drained below {@link #LOW_WATER}.
 * A paused writer stops reading its AMQP delivery, so its session window closes and the sending
 * peer stops; that is how a slow consumer throttles its producer without the router buffering.
 */
public final class DeliveryStream {

    public static final int HIGH_WATER = 64 * 1024;
    public static final int LOW_WATER = 16 * 1024;

    private enum State { OPEN, COMPLETE, ABORTED }

    private final Queue<ProtonBuffer> chunks = new ConcurrentLinkedQueue<>();
    private final AtomicLong buffered = new AtomicLong();
    private final AtomicBoolean readerWaiting = new AtomicBoolean();
    private final AtomicBoolean writerPaused = new AtomicBoolean();
    private final Runnable writerWakeup;
    private volatile Runnable readerWakeup;
    private volatile State state = State.OPEN;
    private volatile boolean readerGone;

    /** @param writerWakeup run (from the reader's thread) when a paused writer may go on; it must hop threads itself */
    public DeliveryStream(Runnable writerWakeup) {
        this.writerWakeup = writerWakeup;
    }

    // ----- writer side

    /**
     * Appends a chunk; ownership passes to the stream.
     *
     * @return false when the writer should pause until its wakeup runs
     */
    public boolean write(ProtonBuffer chunk) {
        if (readerGone) {
            chunk.close();
            return true;
        }
        int size = chunk.getReadableBytes();
        chunks.add(chunk);
        wakeReader();
        if (buffered.addAndGet(size) <= HIGH_WATER) {
            return true;
        }
        writerPaused.set(true);
        // the reader may have drained everything between the add and the flag: don't sleep forever
        return buffered.get() <= LOW_WATER && writerPaused.compareAndSet(true, false);
    }

    /** The last byte has been written. */
    public void complete() {
        state = State.COMPLETE;
        wakeReader();
    }

    /** The sender gave up on this delivery; the reader must abort its copy. */
    public void abort() {
        if (state == State.OPEN) {
            state = State.ABORTED;
            wakeReader();
        }
    }

    /** True when the reader has gone away and further bytes are discarded. */
    public boolean isReaderGone() {
        return readerGone;
    }

    private void wakeReader() {
        if (readerWaiting.compareAndSet(true, false)) {
            readerWakeup.run();
        }
    }

    // ----- reader side

    /** The next chunk, or null when none has arrived yet. The caller owns and closes it. */
    public ProtonBuffer poll() {
        ProtonBuffer chunk = chunks.poll();
        if (chunk != null && buffered.addAndGet(-chunk.getReadableBytes()) <= LOW_WATER
                && writerPaused.compareAndSet(true, false)) {
            writerWakeup.run();
        }
        return chunk;
    }

    /** True when every chunk has been taken and no more will come. */
    public boolean isFinished() {
        return state == State.COMPLETE && chunks.isEmpty();
    }

    public boolean isAborted() {
        return state == State.ABORTED;
    }

    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    /**
     * Asks to be woken when there is something new to read.
     *
     * @return true if there already is, in which case the wakeup will not run
     */
    public boolean awaitData(Runnable wakeup) {
        readerWakeup = wakeup;
        readerWaiting.set(true);
        if (!chunks.isEmpty() || state != State.OPEN) {
            return readerWaiting.compareAndSet(true, false);
        }
        return false;
    }

    /** The reader will read no more: release what is buffered and let the writer run free. */
    public void closeReader() {
        readerGone = true;
        ProtonBuffer chunk;
        while ((chunk = chunks.poll()) != null) {
            chunk.close();
        }
        buffered.set(0);
        if (writerPaused.compareAndSet(true, false)) {
            writerWakeup.run();
        }
    }
}
