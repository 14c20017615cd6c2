package io.camelvan.camel;

import java.util.concurrent.Executor;

import io.camelvan.router.amqp.LocalReceiver;
import io.camelvan.router.amqp.LocalSender;
import io.camelvan.router.core.Address;
import io.camelvan.router.core.RouterCore;
import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.exceptions.ClientException;
import org.apache.qpid.protonj2.client.impl.ClientMessageSupport;

/**
 * Whole messages between the component's {@code van:ADDRESS} and {@code van:http:KEY} endpoints and the router
 * embedded in the same CamelContext, with no connection in between: a send is routed on the calling thread, a
 * consumer is one more consumer of its address in the router, and outcomes and replies come back on the router's
 * threads. Each message is spared the AMQP client, a loopback socket hop each way, and the router's framing of them;
 * what crosses to other routers is exactly what a client's message would be. TCP endpoints (streams, not whole
 * messages) still use the component's connection.
 */
final class InProcessTransport implements MessageTransport, AutoCloseable {

    /** The largest message a consumer takes in: a message is held whole in memory, as the AMQP client holds it. */
    static final int MAX_MESSAGE = 1 << 30;

    private final RouterCore core;
    private LocalReplies replies;

    InProcessTransport(RouterCore core) {
        this.core = core;
    }

    @Override
    public OutgoingLink openSender(String address, boolean settled, long timeoutMillis) {
        requireClientAddress(address);
        return new LocalOutgoingLink(core, address, settled, timeoutMillis);
    }

    @Override
    public synchronized ReplyCorrelator replies() {
        if (replies == null) {
            replies = new LocalReplies(core);
        }
        return replies;
    }

    @Override
    public OutgoingLink.Sent sendReply(Message<?> reply) throws ClientException {
        LocalSend sent = new LocalSend();
        LocalSender.send(core, reply.to(), encode(reply), false, new OneAtATime(), sent.outcome::complete, () -> { });
        return sent;
    }

    @Override
    public String routerSite() {
        return core.site();
    }

    @Override
    public String routerId() {
        return core.routerId();
    }

    /**
     * Makes a consumer of {@code address} until the returned registration is closed.
     *
     * @param executor where each message is handled, as many at once as it has threads
     * @param capacity messages taken ahead of their handling before the router prefers other consumers
     */
    Registration receive(String address, Executor executor, int capacity, LocalReceiver.BytesHandler handler) {
        requireClientAddress(address);
        Address entry = core.addresses().acquire(address);
        LocalReceiver receiver = new LocalReceiver(executor, MAX_MESSAGE, capacity, bytes -> {
            entry.metrics().deliveryOut();
            return handler.handle(bytes);
        });
        entry.addConsumer(receiver);
        return () -> {
            entry.removeConsumer(receiver);
            core.addresses().release(entry);
            receiver.close();
        };
    }

    /** A consumer's hold on its address. */
    interface Registration extends AutoCloseable {
        /** No more deliveries come; those taken and not yet started go back to the router (released). */
        @Override
        void close();
    }

    /** The router's own addresses ({@code _van/...}) are refused to clients; so they are here. */
    private static void requireClientAddress(String address) {
        if (RouterCore.isReserved(address)) {
            throw new IllegalArgumentException("'" + address + "' is an address the router keeps for itself ("
                + RouterCore.RESERVED_PREFIX + "...); use another address");
        }
    }

    static ProtonBuffer encode(Message<?> message) throws ClientException {
        return message.toAdvancedMessage().encode(null);
    }

    static Message<?> decode(ProtonBuffer bytes) throws ClientException {
        return ClientMessageSupport.decodeMessage(bytes, annotations -> { });
    }

    @Override
    public synchronized void close() {
        if (replies != null) {
            replies.close();
            replies = null;
        }
    }

    /**
     * Runs the reports of one send (its outcome, the end of its copies) one at a time, on whichever router thread
     * reports them: they come from other threads than the send, and none waits for another.
     */
    static final class OneAtATime implements Executor {
        @Override
        public synchronized void execute(Runnable report) {
            report.run();
        }
    }
}
