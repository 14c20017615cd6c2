package io.camelvan.camel;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.client.DeliveryState;
import org.apache.qpid.protonj2.client.Rejected;
import org.apache.qpid.protonj2.client.Tracker;
import org.apache.qpid.protonj2.client.exceptions.ClientException;
import org.apache.qpid.protonj2.client.exceptions.ClientOperationTimedOutException;

/**
 * Waits for the remote settlement of sent messages on one thread, oldest first (the router settles them in about
 * the order they were sent), and reports each outcome. protonj2-client's trackers offer no callbacks, so one thread
 * awaiting them in turn is what lets many exchanges be in flight at once without holding a thread each: it watches
 * the requests of request-reply exchanges (whose callers wait for the reply) and messages sent again.
 */
final class OutcomeWatcher implements AutoCloseable {

    /** What became of a sent message. */
    enum Outcome {
        ACCEPTED, REJECTED, RELEASED, MODIFIED, TIMED_OUT,
        /** the link or connection failed before the outcome arrived: whether it got through is unknown */
        LOST
    }

    /** Told each outcome, on the watcher's thread; must not block. */
    interface Listener {
        void onOutcome(PendingSend pending, Outcome outcome, String detail);
    }

    private final LinkedBlockingQueue<PendingSend> queue = new LinkedBlockingQueue<>();
    private final Listener listener;
    private final Thread thread;
    private volatile boolean open = true;

    OutcomeWatcher(String address, Listener listener) {
        this.listener = listener;
        this.thread = new Thread(this::run, "van-outcomes-" + address);
        thread.setDaemon(true);
        thread.start();
    }

    void watch(PendingSend pending) {
        queue.add(pending);
    }

    private void run() {
        while (open) {
            PendingSend p;
            try {
                p = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (p != null && !p.isDone()) {
                await(p);
            }
        }
    }

    private void await(PendingSend p) {
        Settlement s = settlementOf(p.tracker, p.deadlineNanos);
        listener.onOutcome(p, s.outcome(), s.detail());
    }

    /** An outcome and what the peer said about it (a rejection's description, a failure), or null. */
    record Settlement(Outcome outcome, String detail) {
    }

    /** Waits, at most until {@code deadlineNanos}, for the remote settlement of a sent message; on any thread. */
    static Settlement settlementOf(Tracker tracker, long deadlineNanos) {
        try {
            tracker.awaitSettlement(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ClientOperationTimedOutException e) {
            return new Settlement(Outcome.TIMED_OUT, null);
        } catch (ClientException e) {
            return new Settlement(Outcome.LOST, e.getMessage());
        }
        DeliveryState state = tracker.remoteState();
        if (state == null || state.isAccepted()) {
            return new Settlement(Outcome.ACCEPTED, null);
        } else if (state.isRejected()) {
            return new Settlement(Outcome.REJECTED, state instanceof Rejected r ? r.getDescription() : null);
        } else if (state.isReleased()) {
            return new Settlement(Outcome.RELEASED, null);
        } else if (state.isModified()) {
            return new Settlement(Outcome.MODIFIED, null);
        }
        return new Settlement(Outcome.LOST, "unexpected outcome " + state.getType());
    }

    @Override
    public void close() {
        open = false;
        thread.interrupt();
    }
}
