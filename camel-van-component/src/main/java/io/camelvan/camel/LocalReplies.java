package io.camelvan.camel;

import io.camelvan.router.amqp.AmqpErrors;
import io.camelvan.router.amqp.LocalReceiver;
import io.camelvan.router.core.Address;
import io.camelvan.router.core.RouterCore;
import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.Rejected;

/**
 * Replies to a temporary address of the embedded router, handed to their callers on the router thread that brings
 * them: no thread of its own, and no hop to one.
 */
final class LocalReplies extends ReplyCorrelator {

    private final RouterCore core;
    private final Address address;
    private final LocalReceiver receiver;

    LocalReplies(RouterCore core) {
        this.core = core;
        this.address = core.addresses().acquire(core.newTemporaryAddress());
        this.receiver = new LocalReceiver(Runnable::run, InProcessTransport.MAX_MESSAGE, Integer.MAX_VALUE, bytes -> {
            try {
                onReply(InProcessTransport.decode(bytes));
                return Accepted.getInstance();
            } catch (Exception e) {
                return new Rejected(AmqpErrors.decodeError("not a reply message: " + e.getMessage()));
            }
        });
        address.addConsumer(receiver);
    }

    @Override
    String address() {
        return address.name();
    }

    @Override
    public void close() {
        address.removeConsumer(receiver);
        core.addresses().release(address);
        receiver.close();
        super.close();
    }
}
