package io.camelvan.camel;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.camelvan.router.amqp.LocalSender;
import io.camelvan.router.config.Distribution;
import io.camelvan.router.core.Address;
import io.camelvan.router.core.RouterCore;
import org.apache.qpid.protonj2.client.Message;

/**
 * A producer's sends into the embedded router. As a client link would, it holds its address in the router's table
 * and sends while a consumer of it is reachable (any time, for multicast), waiting up to the timeout otherwise; and
 * pre-settled sends in flight are bounded by the router's link capacity, so a producer that does not wait for
 * outcomes cannot queue without limit in front of a slow consumer.
 */
final class LocalOutgoingLink implements OutgoingLink, Address.ReachabilityListener {

    private final RouterCore core;
    private final String address;
    private final boolean settled;
    private final long timeoutMillis;
    private final Address entry;
    private final Semaphore settledInFlight;

    LocalOutgoingLink(RouterCore core, String address, boolean settled, long timeoutMillis) {
        this.core = core;
        this.address = address;
        this.settled = settled;
        this.timeoutMillis = timeoutMillis;
        this.settledInFlight = new Semaphore(core.linkCapacity());
        this.entry = core.addresses().acquire(address);
        entry.addListener(this);
        entry.metrics().producers(1);
    }

    @Override
    public Sent send(Message<?> message) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        if (!awaitReachable(deadline)) {
            throw new TimeoutException("no consumer of '" + address + "' became reachable within " + timeoutMillis
                + " ms (the router lets a message in only while a consumer of its address is reachable)");
        }
        if (settled) {
            if (!settledInFlight.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new TimeoutException("the router took no more messages to '" + address + "' within "
                    + timeoutMillis + " ms (" + core.linkCapacity() + " sent and not yet passed on)");
            }
            LocalSender.send(core, address, InProcessTransport.encode(message), true,
                new InProcessTransport.OneAtATime(), outcome -> { }, settledInFlight::release);
            return null;
        }
        LocalSend sent = new LocalSend();
        LocalSender.send(core, address, InProcessTransport.encode(message), false, new InProcessTransport.OneAtATime(),
            sent.outcome::complete, () -> { });
        return sent;
    }

    private boolean awaitReachable(long deadlineNanos) throws InterruptedException {
        if (isReachable()) {
            return true;
        }
        synchronized (this) {
            while (!isReachable()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return true;
    }

    private boolean isReachable() {
        return entry.distribution() == Distribution.MULTICAST || entry.isReachable();
    }

    @Override
    public void reachabilityChanged(Address changed, boolean reachable) {
        if (reachable) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    @Override
    public void close() {
        entry.removeListener(this);
        entry.metrics().producers(-1);
        core.addresses().release(entry);
    }
}
