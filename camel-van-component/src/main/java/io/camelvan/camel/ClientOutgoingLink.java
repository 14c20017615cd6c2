package io.camelvan.camel;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.qpid.protonj2.client.DeliveryMode;
import org.apache.qpid.protonj2.client.DeliveryState;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Rejected;
import org.apache.qpid.protonj2.client.Sender;
import org.apache.qpid.protonj2.client.SenderOptions;
import org.apache.qpid.protonj2.client.Tracker;
import org.apache.qpid.protonj2.client.exceptions.ClientException;
import org.apache.qpid.protonj2.client.exceptions.ClientOperationTimedOutException;
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

    /** protonj2-client's tracker of an unsettled send. */
    private record TrackedSend(Tracker tracker) implements Sent {

        @Override
        public OutcomeWatcher.Settlement await(long deadlineNanos) {
            try {
                tracker.awaitSettlement(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ClientOperationTimedOutException e) {
                return new OutcomeWatcher.Settlement(OutcomeWatcher.Outcome.TIMED_OUT, null);
            } catch (ClientException e) {
                return new OutcomeWatcher.Settlement(OutcomeWatcher.Outcome.LOST, e.getMessage());
            }
            DeliveryState state = tracker.remoteState();
            if (state == null || state.isAccepted()) {
                return new OutcomeWatcher.Settlement(OutcomeWatcher.Outcome.ACCEPTED, null);
            } else if (state.isRejected()) {
                return new OutcomeWatcher.Settlement(OutcomeWatcher.Outcome.REJECTED,
                    state instanceof Rejected r ? r.getDescription() : null);
            } else if (state.isReleased()) {
                return new OutcomeWatcher.Settlement(OutcomeWatcher.Outcome.RELEASED, null);
            } else if (state.isModified()) {
                return new OutcomeWatcher.Settlement(OutcomeWatcher.Outcome.MODIFIED, null);
            }
            return new OutcomeWatcher.Settlement(OutcomeWatcher.Outcome.LOST, "unexpected outcome " + state.getType());
        }

        @Override
        public boolean isSettled() {
            return tracker.remoteSettled();
        }

        @Override
        public String outcomeName() {
            DeliveryState state = tracker.remoteState();
            return state == null ? "accepted" : state.getType().name().toLowerCase();
        }
    }
}
