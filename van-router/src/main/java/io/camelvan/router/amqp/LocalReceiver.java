package io.camelvan.router.amqp;

import java.util.concurrent.Executor;
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
 * A consumer inside the router (the management endpoint, say): receives whole, small messages for
 * an address and settles each with the outcome its handler gives.
 */
public final class LocalReceiver implements Consumer {

    /** Largest message taken; larger ones are rejected. */
    static final int MAX_MESSAGE = 1 << 20;

    /** Handles one message on the receiver's executor and says how to settle it. */
    @FunctionalInterface
    public interface Handler {
        DeliveryState handle(AmqpMessage message);
    }

    private final Executor loop;
    private final Handler handler;
    private final AtomicInteger outstanding = new AtomicInteger();

    public LocalReceiver(Executor loop, Handler handler) {
        this.loop = loop;
        this.handler = handler;
    }

    @Override
    public void deliver(RoutedDelivery delivery) {
        outstanding.incrementAndGet();
        loop.execute(() -> read(delivery, ProtonBufferAllocator.defaultAllocator().allocate(256)));
    }

    private void read(RoutedDelivery delivery, ProtonBuffer whole) {
        DeliveryStream stream = delivery.stream();
        ProtonBuffer chunk;
        while ((chunk = stream.poll()) != null) {
            whole.writeBytes(chunk);
            chunk.close();
            if (whole.getReadableBytes() > MAX_MESSAGE) {
                finish(delivery, new Rejected(AmqpErrors.resourceLimitExceeded("message larger than " + MAX_MESSAGE + " bytes")));
                return;
            }
        }
        if (stream.isAborted()) {
            finish(delivery, Released.getInstance());
        } else if (stream.isFinished()) {
            DeliveryState outcome;
            try {
                outcome = handler.handle(AmqpMessage.decode(whole));
            } catch (DecodeException e) {
                outcome = new Rejected(AmqpErrors.decodeError(e.getMessage()));
            }
            finish(delivery, outcome);
        } else if (stream.awaitData(() -> loop.execute(() -> read(delivery, whole)))) {
            loop.execute(() -> read(delivery, whole));
        }
    }

    private void finish(RoutedDelivery delivery, DeliveryState outcome) {
        delivery.stream().closeReader();
        outstanding.decrementAndGet();
        delivery.finish(outcome);
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
        return true;
    }
}
