package io.camelvan.router.core;

import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this router has joined its network since it started. Until it has, a routing key that
 * nothing seems to serve may only not be known here yet, so what would refuse work for want of a
 * consumer (an httpListener answering 503) waits for the key or for the join instead: a router
 * restarted under load would otherwise turn clients away for the second or two its links take. The
 * mesh decides when the router has joined (see {@code Mesh.awaitJoin}); a router with no part in a
 * network has joined at once.
 */
public final class NetworkJoin {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkJoin.class);

    private final String routerId;
    private final CompletableFuture<Void> joined = new CompletableFuture<>();

    NetworkJoin(String routerId) {
        this.routerId = routerId;
    }

    public boolean isJoined() {
        return joined.isDone();
    }

    /** Runs {@code then} once the router has joined: at once if it has, else on the thread that says so. */
    public void whenJoined(Runnable then) {
        joined.thenRun(then);
    }

    /** The router has joined; {@code how} says how, for the log. Only the first call counts. */
    public void joined(String how) {
        if (joined.complete(null)) {
            LOG.info("[{}] joined the network: {}", routerId, how);
        }
    }
}
