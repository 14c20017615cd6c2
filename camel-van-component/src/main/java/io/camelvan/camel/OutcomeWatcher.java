package io.camelvan.camel;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.client.DeliveryState;
import org.apache.qpid.protonj2.client.Rejected;
import org.apache.qpid.protonj2.client.exceptions.ClientException;
import org.apache.qpid.protonj2.client.exceptions.ClientOperationTimedOutException;

/**
 * Waits for the remote settlement of sent messages on one thread, oldest first (the router settles them in about
 * the order they were sent), and reports each outcome. protonj2-client's trackers offer no callbacks, so one thread
 * awaiting them in turn is what lets many exchanges be in flight at once.
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
        try {
            p.tracker.awaitSettlement(Math.max(0, p.deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ClientOperationTimedOutException e) {
            listener.onOutcome(p, Outcome.TIMED_OUT, null);
            return;
        } catch (ClientException e) {
            listener.onOutcome(p, Outcome.LOST, e.getMessage());
            return;
        }
        DeliveryState state = p.tracker.remoteState();
        if (state == null || state.isAccepted()) {
            listener.onOutcome(p, Outcome.ACCEPTED, null);
        } else if (state.isRejected()) {
            String detail = state instanceof Rejected r ? r.getDescription() : null;
            listener.onOutcome(p, Outcome.REJECTED, detail);
        } else if (state.isReleased()) {
            listener.onOutcome(p, Outcome.RELEASED, null);
        } else if (state.isModified()) {
            listener.onOutcome(p, Outcome.MODIFIED, null);
        } else {
            listener.onOutcome(p, Outcome.LOST, "unexpected outcome " + state.getType());
        }
    }

    @Override
    public void close() {
        open = false;
        thread.interrupt();
    }
}
