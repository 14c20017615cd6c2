package io.camelvan.router.adaptor;

import java.util.EnumSet;
import java.util.Set;

import io.netty.channel.Channel;

/**
 * Whether a socket is read: auto-read is on only while nothing holds it off. Several things may
 * hold a socket at once (the delivery's buffer is full, the first bytes wait for a retry, too many
 * requests are pending), and each lets go on its own. Used on the channel's event loop.
 */
public final class ReadGate {

    /** Why a socket is not read. */
    public enum Reason {
        /** the delivery its bytes go into holds as much as it may */
        STREAM,
        /** the bytes held for a retry have reached their bound */
        HELD,
        /** too many requests of the connection wait for their responses */
        PIPELINE,
        /** nothing is to be read any more (the other side settled early) */
        DONE,
        /** the router has not joined its network yet and no consumer of the key is known */
        JOINING
    }

    private final Channel channel;
    private final Set<Reason> holding = EnumSet.noneOf(Reason.class);

    public ReadGate(Channel channel) {
        this.channel = channel;
    }

    public void hold(Reason reason) {
        if (holding.add(reason) && holding.size() == 1) {
            channel.config().setAutoRead(false);
        }
    }

    public void release(Reason reason) {
        if (holding.remove(reason) && holding.isEmpty()) {
            channel.config().setAutoRead(true);
        }
    }

    public boolean isHeld(Reason reason) {
        return holding.contains(reason);
    }
}
