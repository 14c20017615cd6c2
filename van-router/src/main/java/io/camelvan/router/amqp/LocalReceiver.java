package io.camelvan.router.amqp;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;
import org.apache.qpid.protonj2.codec.DecodeException;
import org.apache.qpid.protonj2.types.messaging.Rejected;
import org.apache.qpid.protonj2.types.messaging.Released;
import org.apache.qpid.protonj2.types.transport.DeliveryState;

import io.camelvan.router.core.Consumer;
import io.camelvan.router.core.DeliveryStream;
import io.camelvan.router.core.RoutedDelivery;

/**
 * A consumer inside the router's JVM (the management endpoint, an application that embeds the
 * router): receives whole messages for an address and settles each with the outcome its handler
 * gives. Each delivery is read and handled as a task on the receiver's executor, so an executor of
 * several threads handles that many messages at once.
 */
public final class LocalReceiver implements Consumer {

    /** Largest message taken by a receiver of {@link AmqpMessage}s; larger ones are rejected. */
    static final int MAX_MESSAGE = 1 << 20;

    /** Handles one small message on the receiver's executor and says how to settle it. */
    @FunctionalInterface
    public interface Handler {
        DeliveryState handle(AmqpMessage message);
    }

    /** Handles the encoded bytes of one whole message on the receiver's executor and says how to settle it. */
    @FunctionalInterface
    public interface BytesHandler {
        DeliveryState handle(ProtonBuffer message);
    }

    private final Executor executor;
    private final int maxMessage;
    private final int capacity;
    private final BytesHandler handler;
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile boolean closed;

    /** A receiver of small messages, decoded (management requests and replies). */
    public LocalReceiver(Executor loop, Handler handler) {
        this(loop, MAX_MESSAGE, Integer.MAX_VALUE, bytes -> {
            try {
                return handler.handle(AmqpMessage.decode(bytes));
            } catch (DecodeException e) {
                return new Rejected(AmqpErrors.decodeError(e.getMessage()));
            }
        });
    }

    /**
     * @param maxMessage larger messages are rejected (resource-limit-exceeded)
     * @param capacity   deliveries taken before the receiver counts as full: a balanced address then
     *                   prefers its other consumers, as it does a link without credit
     */
    public LocalReceiver(Executor executor, int maxMessage, int capacity, BytesHandler handler) {
        this.executor = executor;
        this.maxMessage = maxMessage;
        this.capacity = capacity;
        this.handler = handler;
    }

    @Override
    public void deliver(RoutedDelivery delivery) {
        outstanding.incrementAndGet();
        submit(new Reading(delivery));
    }

    private void submit(Reading reading) {
        try {
            executor.execute(reading);
        } catch (RejectedExecutionException e) {
            // the executor has shut down (its owner stopped): hand the delivery back rather than lose it
            reading.abandon();
        }
    }

    /** One delivery being read: its chunks gathered until it is complete, then handled. */
    private final class Reading implements Runnable {

        private final RoutedDelivery delivery;
        /** The message so far: its first chunk as it came (most messages are one), else a buffer of our own. */
        private ProtonBuffer whole;
        private boolean gathered;

        Reading(RoutedDelivery delivery) {
            this.delivery = delivery;
        }

        @Override
        public void run() {
            DeliveryStream stream = delivery.stream();
            ProtonBuffer chunk;
            while ((chunk = stream.poll()) != null) {
                if ((long) size() + chunk.getReadableBytes() > maxMessage) {
                    chunk.close();
                    if (whole != null) {
                        whole.close();
                    }
                    finish(delivery, new Rejected(AmqpErrors.resourceLimitExceeded("message larger than "
                        + maxMessage + " bytes")));
                    return;
                }
                append(chunk);
            }
            if (closed || stream.isAborted()) {
                // a receiver that has closed hands back what it has not started: another consumer can take it
                abandon();
            } else if (stream.isFinished()) {
                ProtonBuffer message = whole != null ? whole : ProtonBufferAllocator.defaultAllocator().allocate(0);
                DeliveryState outcome;
                try {
                    outcome = handler.handle(message);
                } finally {
                    message.close();
                }
                finish(delivery, outcome);
            } else if (stream.awaitData(() -> submit(this))) {
                submit(this);
            }
        }

        void abandon() {
            if (whole != null) {
                whole.close();
            }
            finish(delivery, Released.getInstance());
        }

        private int size() {
            return whole == null ? 0 : whole.getReadableBytes();
        }

        private void append(ProtonBuffer chunk) {
            if (whole == null) {
                whole = chunk;
                return;
            }
            int needed = whole.getReadableBytes() + chunk.getReadableBytes();
            if (!gathered || whole.getWritableBytes() < chunk.getReadableBytes()) {
                // doubling, so that a message of many chunks is copied a few times, not once per chunk
                int room = (int) Math.min(2L * needed, Math.max(needed, maxMessage));
                ProtonBuffer bigger = ProtonBufferAllocator.defaultAllocator().allocate(room);
                bigger.writeBytes(whole);
                whole.close();
                whole = bigger;
                gathered = true;
            }
            whole.writeBytes(chunk);
            chunk.close();
        }
    }

    private void finish(RoutedDelivery delivery, DeliveryState outcome) {
        delivery.stream().closeReader();
        outstanding.decrementAndGet();
        delivery.finish(outcome);
    }

    /**
     * Stops handling: deliveries not yet handled (queued on the executor, or still arriving) are
     * released. Remove the receiver from its addresses first, so that no new ones come.
     */
    public void close() {
        closed = true;
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
        return outstanding.get() < capacity;
    }
}
