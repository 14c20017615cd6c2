package io.camelvan.router.adaptor;

import java.util.Map;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.codec.DecodeException;
import org.apache.qpid.protonj2.types.messaging.Properties;
import org.apache.qpid.protonj2.types.transport.DeliveryState;

import io.camelvan.router.amqp.StreamingMessageReader;
import io.camelvan.router.core.DeliveryStream;
import io.camelvan.router.core.RoutedDelivery;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/**
 * Reads one delivery an adaptor received and hands its message to a socket as the bytes arrive:
 * the head once, then the body's data sections as ByteBufs, never holding more than the delivery's
 * own buffer while the socket cannot take more ({@link Sink#writable}). Used on the socket's event
 * loop; wakeups from the delivery's writer hop there.
 */
public final class StreamReceiver implements StreamingMessageReader.Listener {

    /** Where the message goes. All calls on the event loop. */
    public interface Sink {

        /** The message's properties and application properties, before any body. */
        void head(Properties properties, Map<String, Object> applicationProperties);

        /** Some body bytes; ownership passes to the sink. */
        void data(ByteBuf bytes);

        /** Whether the sink takes more now; when it did not, it calls {@link #pump} once it does. */
        boolean writable();

        /** What was handed over so far may go out: called once per batch, not per piece. */
        void flush();

        /** The whole message has been handed over. */
        void end();

        /** The message will not be finished: its sender aborted it, or it is not a message an adaptor can read. */
        void aborted(String why);
    }

    private final RoutedDelivery delivery;
    private final EventLoop loop;
    private Sink sink;
    private final StreamingMessageReader reader = new StreamingMessageReader(this);
    private final Runnable wakeup;
    private boolean done;
    private boolean settled;

    public StreamReceiver(RoutedDelivery delivery, EventLoop loop, Sink sink) {
        this.delivery = delivery;
        this.loop = loop;
        this.sink = sink;
        this.wakeup = () -> loop.execute(this::pump);
    }

    /** Hands over whatever has arrived, as far as the sink takes it. On the event loop. */
    public void pump() {
        pumpChunks();
        sink.flush();
    }

    private void pumpChunks() {
        DeliveryStream stream = delivery.stream();
        while (!done && sink.writable()) {
            ProtonBuffer chunk = stream.poll();
            if (chunk != null) {
                try {
                    reader.feed(chunk);
                } catch (DecodeException e) {
                    fail("not a message: " + e.getMessage());
                }
                continue;
            }
            if (stream.isAborted()) {
                fail("its sender aborted it");
            } else if (stream.isFinished()) {
                finishReading();
            } else if (stream.awaitData(wakeup)) {
                continue;
            }
            return;
        }
    }

    private void finishReading() {
        try {
            reader.end();
        } catch (DecodeException e) {
            fail("a truncated message: " + e.getMessage());
            return;
        }
        done = true;
        sink.end();
    }

    private void fail(String why) {
        done = true;
        reader.close();
        delivery.stream().closeReader();
        sink.aborted(why);
    }

    /**
     * Hands the rest of the message to another sink, from within {@link Sink#head}: an HTTP
     * connector's delivery that turns out to be a TCP flow (an upgraded connection) goes on as one.
     */
    public void handOver(Sink next) {
        this.sink = next;
    }

    /** True once the message has been handed over whole, or given up. */
    public boolean isDone() {
        return done;
    }

    /**
     * Settles the delivery with its sender (once): accepted when handed over, released or modified
     * when the socket went away first. Reads no more of it.
     */
    public void settle(DeliveryState outcome) {
        done = true;
        if (!settled) {
            settled = true;
            reader.close();
            delivery.stream().closeReader();
            delivery.finish(outcome);
        }
    }

    public boolean isSettled() {
        return settled;
    }

    /** The event loop this runs on. */
    public EventLoop loop() {
        return loop;
    }

    // ----- StreamingMessageReader.Listener

    @Override
    public void head(Properties properties, Map<String, Object> applicationProperties) {
        sink.head(properties, applicationProperties);
    }

    @Override
    public void data(ByteBuf bytes) {
        if (done || !bytes.isReadable()) {
            bytes.release();
        } else {
            sink.data(bytes);
        }
    }
}
