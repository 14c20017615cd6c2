package io.camelvan.camel;

import java.util.concurrent.TimeoutException;

import org.apache.qpid.protonj2.client.DeliveryMode;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Sender;
import org.apache.qpid.protonj2.client.SenderOptions;
import org.apache.qpid.protonj2.client.Tracker;
import org.apache.qpid.protonj2.client.exceptions.ClientException;
import org.apache.qpid.protonj2.client.exceptions.ClientSendTimedOutException;

/** A protonj2-client sender on a session of its own, on the component's (or an endpoint's) connection. */
final class ClientOutgoingLink implements OutgoingLink {

    private final RouterConnection connection;
    private final String address;
    private final long timeoutMillis;
    private final Sender sender;

    ClientOutgoingLink(RouterConnection connection, String address, boolean settled, long timeoutMillis)
        throws ClientException {
        this.connection = connection;
        this.address = address;
        this.timeoutMillis = timeoutMillis;
        this.sender = connection.openSender(address, new SenderOptions()
            .deliveryMode(settled ? DeliveryMode.AT_MOST_ONCE : DeliveryMode.AT_LEAST_ONCE)
            .sendTimeout(timeoutMillis));
    }

    @Override
    public Sent send(Message<?> message) throws Exception {
        Tracker tracker;
        try {
            tracker = sender.send(message);
        } catch (ClientSendTimedOutException e) {
            throw new TimeoutException(connection.isConnected()
                ? "no consumer of '" + address + "' became reachable within " + timeoutMillis
                    + " ms (the router lets a message in only while a consumer of its address is reachable)"
                : "the VAN router at " + connection.url() + " is not reachable"
                    + (connection.lastFailure() == null ? "" : " (" + connection.lastFailure() + ")")
                    + "; the message to '" + address + "' was not sent within " + timeoutMillis + " ms");
        }
        return tracker.settled() ? null : new TrackedSend(tracker);
    }

    @Override
    public void close() {
        sender.session().close(); // closes the sender, alone on it
    }
}
