package io.camelvan.camel;

import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.client.DeliveryState;
import org.apache.qpid.protonj2.client.Rejected;
import org.apache.qpid.protonj2.client.Tracker;
import org.apache.qpid.protonj2.client.exceptions.ClientException;
import org.apache.qpid.protonj2.client.exceptions.ClientOperationTimedOutException;

/** protonj2-client's tracker of an unsettled send. */
record TrackedSend(Tracker tracker) implements OutgoingLink.Sent {

    @Override
    public OutgoingLink.Settlement await(long deadlineNanos) {
        try {
            tracker.awaitSettlement(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ClientOperationTimedOutException e) {
            return new OutgoingLink.Settlement(OutgoingLink.Outcome.TIMED_OUT, null);
        } catch (ClientException e) {
            return new OutgoingLink.Settlement(OutgoingLink.Outcome.LOST, e.getMessage());
        }
        DeliveryState state = tracker.remoteState();
        if (state == null || state.isAccepted()) {
            return new OutgoingLink.Settlement(OutgoingLink.Outcome.ACCEPTED, null);
        } else if (state.isRejected()) {
            return new OutgoingLink.Settlement(OutgoingLink.Outcome.REJECTED,
                state instanceof Rejected r ? r.getDescription() : null);
        } else if (state.isReleased()) {
            return new OutgoingLink.Settlement(OutgoingLink.Outcome.RELEASED, null);
        } else if (state.isModified()) {
            return new OutgoingLink.Settlement(OutgoingLink.Outcome.MODIFIED, null);
        }
        return new OutgoingLink.Settlement(OutgoingLink.Outcome.LOST, "unexpected outcome " + state.getType());
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
