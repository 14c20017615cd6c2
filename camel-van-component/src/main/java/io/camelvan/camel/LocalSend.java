package io.camelvan.camel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.qpid.protonj2.types.messaging.Modified;
import org.apache.qpid.protonj2.types.messaging.Rejected;
import org.apache.qpid.protonj2.types.messaging.Released;
import org.apache.qpid.protonj2.types.transport.DeliveryState;

/** An unsettled send into the embedded router, until its outcome comes back. */
final class LocalSend implements OutgoingLink.Sent {

    final CompletableFuture<DeliveryState> outcome = new CompletableFuture<>();

    @Override
    public OutgoingLink.Settlement await(long deadlineNanos) {
        DeliveryState state;
        try {
            state = outcome.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return new OutgoingLink.Settlement(OutgoingLink.Outcome.TIMED_OUT, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new OutgoingLink.Settlement(OutgoingLink.Outcome.LOST, "interrupted");
        } catch (ExecutionException e) {
            return new OutgoingLink.Settlement(OutgoingLink.Outcome.LOST, e.getCause().getMessage());
        }
        if (state instanceof Rejected r) {
            return new OutgoingLink.Settlement(OutgoingLink.Outcome.REJECTED,
                r.getError() == null ? null : r.getError().getDescription());
        } else if (state instanceof Released) {
            return new OutgoingLink.Settlement(OutgoingLink.Outcome.RELEASED, null);
        } else if (state instanceof Modified) {
            return new OutgoingLink.Settlement(OutgoingLink.Outcome.MODIFIED, null);
        }
        return new OutgoingLink.Settlement(OutgoingLink.Outcome.ACCEPTED, null);
    }

    @Override
    public boolean isSettled() {
        return outcome.isDone();
    }

    @Override
    public String outcomeName() {
        DeliveryState state = outcome.getNow(null);
        return state == null ? "accepted" : state.getType().name().toLowerCase();
    }
}
