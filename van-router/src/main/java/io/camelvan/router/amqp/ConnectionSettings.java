package io.camelvan.router.amqp;

import java.time.Duration;

import io.camelvan.router.config.AddressPolicy;
import io.camelvan.router.config.LinkConfig;
import io.camelvan.router.config.ListenerConfig;
import io.camelvan.router.config.ListenerRole;

/**
 * How one AMQP connection is run: who is at the other end and its limits.
 *
 * @param name the listener or link it belongs to, for logs
 * @param role applications ({@code normal}), a peer interior router, or an edge router
 * @param outgoing true when this router dialled out (a link), false when it accepted
 * @param cost the cost of the link, announced by the dialling side
 * @param policy the addresses a client of this listener may send to and receive from
 */
public record ConnectionSettings(String name, ListenerRole role, boolean outgoing, long maxFrameSize,
        Duration idleTimeout, int maxSessions, long maxMessageSize, int cost, AddressPolicy policy) {

    public static ConnectionSettings accepted(ListenerConfig listener) {
        return new ConnectionSettings(listener.name(), listener.role(), false, listener.maxFrameSize(),
            listener.idleTimeout(), listener.maxSessions(), listener.maxMessageSize(), 1, listener.policy());
    }

    /** An outgoing inter-router link, or an edge router's uplink when {@code role} is edge. */
    public static ConnectionSettings dialled(LinkConfig link, ListenerRole role) {
        return new ConnectionSettings(link.name(), role, true, ListenerConfig.DEFAULT_MAX_FRAME_SIZE,
            ListenerConfig.DEFAULT_IDLE_TIMEOUT, ListenerConfig.DEFAULT_MAX_SESSIONS, 0, link.cost(), AddressPolicy.ANY);
    }

    public boolean isPeer() {
        return role != ListenerRole.NORMAL;
    }
}
