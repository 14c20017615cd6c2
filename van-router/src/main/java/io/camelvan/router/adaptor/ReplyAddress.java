package io.camelvan.router.adaptor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.camelvan.router.core.Address;
import io.camelvan.router.core.RoutedDelivery;
import io.camelvan.router.core.RouterCore;

/**
 * A temporary address of this router ({@code _van/<router>/temp/<n>}) where the answer to one
 * request comes back: the reply stream of a TCP flow, the response to an HTTP request. It routes
 * here by its name alone, from anywhere in the network, while it is open.
 */
public final class ReplyAddress implements io.camelvan.router.core.Consumer {

    private final RouterCore core;
    private final Address address;
    private final Consumer<RoutedDelivery> handler;
    private final AtomicInteger outstanding = new AtomicInteger();
    private boolean closed;

    /** @param handler takes each delivery, from any thread; it hops to its own */
    public ReplyAddress(RouterCore core, Consumer<RoutedDelivery> handler) {
        this.core = core;
        this.handler = handler;
        this.address = core.addresses().acquire(core.newTemporaryAddress());
        address.addConsumer(this);
    }

    public String name() {
        return address.name();
    }

    /** No more deliveries come here; those still arriving find no address and go back to their senders. */
    public void close() {
        if (!closed) {
            closed = true;
            address.removeConsumer(this);
            core.addresses().release(address);
        }
    }

    @Override
    public void deliver(RoutedDelivery delivery) {
        outstanding.incrementAndGet();
        delivery.onFinish(outstanding::decrementAndGet);
        handler.accept(delivery);
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
