package io.camelvan.router.core;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

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
 *
 * <p>Most deliveries are one chunk, so the first chunk has a field of its own and the queue for
 * the rest is made only when a second one comes; the counters and flags are fields updated in
 * place. A small message costs this object and nothing more.
 */
public final class DeliveryStream {

    public static final int HIGH_WATER = 64 * 1024;
    public static final int LOW_WATER = 16 * 1024;

    private static final int OPEN = 0;
    private static final int COMPLETE = 1;
    private static final int ABORTED = 2;

    private static final AtomicLongFieldUpdater<DeliveryStream> BUFFERED =
        AtomicLongFieldUpdater.newUpdater(DeliveryStream.class, "buffered");
    private static final AtomicIntegerFieldUpdater<DeliveryStream> READER_WAITING =
        AtomicIntegerFieldUpdater.newUpdater(DeliveryStream.class, "readerWaiting");
    private static final AtomicIntegerFieldUpdater<DeliveryStream> WRITER_PAUSED =
        AtomicIntegerFieldUpdater.newUpdater(DeliveryStream.class, "writerPaused");

    private final Runnable writerWakeup;
    /** The first chunk until the reader takes it; written once by the writer. */
    private volatile ProtonBuffer first;
    /** Every later chunk, in order; made by the writer when the second chunk comes. */
    private volatile Queue<ProtonBuffer> rest;
    private volatile long buffered;
    private volatile int readerWaiting;
    private volatile int writerPaused;
    private volatile Runnable readerWakeup;
    private volatile int state = OPEN;
    private volatile boolean readerGone;
    // writer side only
    private boolean firstWritten;
    // reader side only
    private boolean firstTaken;

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
        if (!firstWritten) {
            firstWritten = true;
            first = chunk;
        } else {
            Queue<ProtonBuffer> queue = rest;
            if (queue == null) {
                queue = new ConcurrentLinkedQueue<>();
                rest = queue;
            }
            queue.add(chunk);
        }
        wakeReader();
        if (BUFFERED.addAndGet(this, size) <= HIGH_WATER) {
            return true;
        }
        writerPaused = 1;
        // the reader may have drained everything between the add and the flag: don't sleep forever
        return buffered <= LOW_WATER && WRITER_PAUSED.compareAndSet(this, 1, 0);
    }

    /** The last byte has been written. */
    public void complete() {
        state = COMPLETE;
        wakeReader();
    }

    /** The sender gave up on this delivery; the reader must abort its copy. */
    public void abort() {
        if (state == OPEN) {
            state = ABORTED;
            wakeReader();
        }
    }

    /** True when the reader has gone away and further bytes are discarded. */
    public boolean isReaderGone() {
        return readerGone;
    }

    private void wakeReader() {
        if (readerWaiting == 1 && READER_WAITING.compareAndSet(this, 1, 0)) {
            readerWakeup.run();
        }
    }

    // ----- reader side

    /** The next chunk, or null when none has arrived yet. The caller owns and closes it. */
    public ProtonBuffer poll() {
        ProtonBuffer chunk = take();
        if (chunk != null && BUFFERED.addAndGet(this, -chunk.getReadableBytes()) <= LOW_WATER
                && writerPaused == 1 && WRITER_PAUSED.compareAndSet(this, 1, 0)) {
            writerWakeup.run();
        }
        return chunk;
    }

    private ProtonBuffer take() {
        if (!firstTaken) {
            ProtonBuffer chunk = first;
            if (chunk == null) {
                return null; // nothing written yet: the first chunk always comes before the rest
            }
            firstTaken = true;
            first = null;
            return chunk;
        }
        Queue<ProtonBuffer> queue = rest;
        return queue == null ? null : queue.poll();
    }

    private boolean isEmpty() {
        if (!firstTaken) {
            return first == null;
        }
        Queue<ProtonBuffer> queue = rest;
        return queue == null || queue.isEmpty();
    }

    /** True when every chunk has been taken and no more will come. */
    public boolean isFinished() {
        return state == COMPLETE && isEmpty();
    }

    public boolean isAborted() {
        return state == ABORTED;
    }

    public boolean isComplete() {
        return state == COMPLETE;
    }

    /**
     * Asks to be woken when there is something new to read.
     *
     * @return true if there already is, in which case the wakeup will not run
     */
    public boolean awaitData(Runnable wakeup) {
        readerWakeup = wakeup;
        readerWaiting = 1;
        if (!isEmpty() || state != OPEN) {
            return READER_WAITING.compareAndSet(this, 1, 0);
        }
        return false;
    }

    /** The reader will read no more: release what is buffered and let the writer run free. */
    public void closeReader() {
        readerGone = true;
        ProtonBuffer chunk;
        while ((chunk = take()) != null) {
            chunk.close();
        }
        buffered = 0;
        if (writerPaused == 1 && WRITER_PAUSED.compareAndSet(this, 1, 0)) {
            writerWakeup.run();
        }
    }
}
