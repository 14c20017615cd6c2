package io.camelvan.router.adaptor;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.camelvan.router.core.Address;
import io.camelvan.router.core.RouterCore;
import io.netty.channel.EventLoop;

/**
 * Waits until a reply address can be reached from this router. The listeners' reply addresses are
 * temporary ones ({@code _van/<router>/temp/<n>}), routed by topology and reachable at once; a
 * client of its own (a {@code van:tcp} producer) may name an ordinary address, which other routers
 * hear of only once the mesh has spread its consumer, a moment after the request was sent.
 */
public final class ReplyRoute {

    /** How long a reply address may take to become reachable. */
    public static final long WAIT_MS = 5000;

    private ReplyRoute() {
    }

    /** Listens to the address until it becomes reachable or the wait is over, whichever comes first. */
    private static final class Waiter implements Address.ReachabilityListener {

        private final RouterCore core;
        private final Address entry;
        private final EventLoop loop;
        private final AtomicBoolean decided = new AtomicBoolean();
        private final Runnable ready;

        Waiter(RouterCore core, Address entry, EventLoop loop, Runnable ready) {
            this.core = core;
            this.entry = entry;
            this.loop = loop;
            this.ready = ready;
        }

        @Override
        public void reachabilityChanged(Address changed, boolean reachable) {
            if (reachable) {
                decide(ready);
            }
        }

        void decide(Runnable outcome) {
            if (decided.compareAndSet(false, true)) {
                entry.removeListener(this);
                core.addresses().release(entry);
                loop.execute(outcome);
            }
        }
    }

    /**
     * Runs {@code ready} on {@code loop} once {@code address} can be reached (at once when it can now),
     * or {@code unreachable} when it cannot within {@link #WAIT_MS}; exactly one of them.
     */
    public static void await(RouterCore core, String address, EventLoop loop, Runnable ready, Runnable unreachable) {
        if (RouterCore.owner(address) != null) {
            ready.run();
            return;
        }
        Address entry = core.addresses().acquire(address);
        if (entry.isReachable()) {
            core.addresses().release(entry);
            ready.run();
            return;
        }
        Waiter waiter = new Waiter(core, entry, loop, ready);
        entry.addListener(waiter);
        if (entry.isReachable()) {
            waiter.decide(ready); // it became reachable before the listener was in place
        }
        loop.schedule(() -> waiter.decide(unreachable), WAIT_MS, TimeUnit.MILLISECONDS);
    }
}
