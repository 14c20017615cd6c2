package io.camelvan.router.amqp;

import org.apache.qpid.protonj2.engine.Receiver;
import org.apache.qpid.protonj2.engine.Sender;

import io.camelvan.router.core.Consumer;

/**
 * The mesh's side of connections to other routers. Called on the connection's event loop when an
 * inter-router or edge connection has opened.
 */
public interface PeerConnector {

    PeerConnector NONE = (connection, peer) -> {
        throw new IllegalStateException("this router takes no part in a mesh");
    };

    /**
     * @return what handles the links of this connection from now on
     * @throws IllegalStateException with the reason, to refuse the peer (the connection is closed)
     */
    PeerSession opened(AmqpConnection connection, PeerInfo peer);

    /** The links of one connection to another router. Every method runs on that connection's event loop. */
    interface PeerSession {

        /** The other router attached a link to send to us. */
        void receiverOpened(Receiver receiver);

        /** The other router attached a link to receive from us. */
        void senderOpened(Sender sender);

        /** The connection is gone. */
        void closed();

        /** This connection as the next hop to the router at its other end (and to those behind it). */
        Consumer asHop();
    }
}
