package io.camelvan.router.net;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.config.ListenerConfig;
import io.camelvan.router.core.RouterCore;
import io.netty.channel.Channel;

/**
 * The {@code maxConnections} of a listener: a connection past the limit is closed as soon as it is
 * accepted, before any of its bytes are read, so a flood of connections cannot take the router down.
 */
final class ConnectionLimit {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
    /** At most one log line per this many milliseconds while connections are being refused. */
    private static final long LOG_EVERY_MS = 5000;

    private final ListenerConfig listener;
    private final RouterCore core;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong lastLogged = new AtomicLong();

    ConnectionLimit(ListenerConfig listener, RouterCore core) {
        this.listener = listener;
        this.core = core;
    }

    /** @return false, having closed the channel, when the listener is full */
    boolean admit(Channel channel) {
        int max = listener.maxConnections();
        if (max > 0 && open.incrementAndGet() > max) {
            open.decrementAndGet();
            core.metrics().connectionsRefused.increment();
            long now = System.currentTimeMillis();
            long last = lastLogged.get();
            if (now - last > LOG_EVERY_MS && lastLogged.compareAndSet(last, now)) {
                LOG.warn("[{}] listener '{}' refused a connection from {}: limit of {} connections reached",
                    core.routerId(), listener.name(), channel.remoteAddress(), max);
            }
            channel.close();
            return false;
        }
        if (max > 0) {
            channel.closeFuture().addListener(f -> open.decrementAndGet());
        }
        return true;
    }
}
