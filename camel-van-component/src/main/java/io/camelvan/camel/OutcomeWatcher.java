package io.camelvan.camel;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;


/**
 * Waits for the remote settlement of sent messages on one thread, oldest first (the router settles them in about
 * the order they were sent), and reports each outcome. protonj2-client's trackers offer no callbacks, so one thread
 * awaiting them in turn is what lets many exchanges be in flight at once without holding a thread each: it watches
 * the requests of request-reply exchanges (whose callers wait for the reply) and messages sent again.
 */
final class OutcomeWatcher implements AutoCloseable {

    /** Told each outcome, on the watcher's thread; must not block. */
    interface Listener {
        void onOutcome(PendingSend pending, OutgoingLink.Outcome outcome, String detail);
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
        OutgoingLink.Settlement s = p.sent.await(p.deadlineNanos);
        listener.onOutcome(p, s.outcome(), s.detail());
    }

    @Override
    public void close() {
        open = false;
        thread.interrupt();
    }
}
