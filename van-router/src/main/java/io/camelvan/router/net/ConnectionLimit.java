package io.camelvan.router.net;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.core.RouterCore;
import io.netty.channel.Channel;

/**
 * The {@code maxConnections} of a listener (AMQP, TCP or HTTP): a connection past the limit is
 * refused as soon as it is accepted, before any of its bytes are read, so that a flood of
 * connections cannot take the router down. Refusals are counted and logged, at most one line per
 * {@link #LOG_EVERY_MS}.
 */
public final class ConnectionLimit {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
    /** At most one log line per this many milliseconds while connections are being refused. */
    private static final long LOG_EVERY_MS = 5000;

    private final String listener;
    private final int max;
    private final RouterCore core;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong lastLogged = new AtomicLong();

    /**
     * @param listener what the log line calls the listener, e.g. {@code listener 'amqp'}
     * @param max connections open at once; 0 for no limit
     */
    public ConnectionLimit(String listener, int max, RouterCore core) {
        this.listener = listener;
        this.max = max;
        this.core = core;
    }

    /**
     * Counts the channel in until it closes, or refuses it: the caller then closes it the way its
     * protocol says (this does not).
     *
     * @return false when the listener is full
     */
    public boolean admit(Channel channel) {
        if (max <= 0) {
            return true;
        }
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            core.metrics().connectionsRefused.increment();
            long now = System.currentTimeMillis();
            long last = lastLogged.get();
            if (now - last > LOG_EVERY_MS && lastLogged.compareAndSet(last, now)) {
                LOG.warn("[{}] {} refused a connection from {}: limit of {} connections reached", core.routerId(),
                    listener, channel.remoteAddress(), max);
            }
            return false;
        }
        channel.closeFuture().addListener(f -> open.decrementAndGet());
        return true;
    }
}
