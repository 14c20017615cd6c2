package io.camelvan.router.mesh;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.EventExecutor;

/**
 * Runs a task (the route computation) soon after a first request, and less often while requests
 * keep coming, as link-state routers throttle their shortest-path runs. A lone change, such as a
 * lost link in a settled network, is acted on after {@code firstMs}; during a storm of updates
 * (hundreds of routers starting or a partition healing, every update triggering another
 * computation) the hold between two runs doubles up to {@code maxMs}, so a router spends its CPU
 * on passing updates on rather than on computing routes that the next update makes stale. The
 * hold falls back to {@code firstMs} when a request comes more than {@code maxMs} after the last
 * run's hold ran out; so a change within a second or two of a storm (or of another change) may
 * wait up to {@code maxMs}. A change that must not wait ({@link #requestSoon}) runs after
 * {@code firstMs} whatever the hold.
 *
 * <p>Not thread-safe: {@link #request} is called on the executor's thread only.
 */
final class ChurnThrottle {

    private final EventExecutor executor;
    private final Runnable task;
    private final long firstMs;
    private final long maxMs;
    private long holdMs;
    private long lastRunAt;
    private ScheduledFuture<?> next;
    private long nextAt;

    ChurnThrottle(EventExecutor executor, Runnable task, long firstMs, long maxMs) {
        if (firstMs <= 0 || maxMs < firstMs) {
            throw new IllegalArgumentException("need 0 < firstMs <= maxMs, got " + firstMs + " and " + maxMs);
        }
        this.executor = executor;
        this.task = task;
        this.firstMs = firstMs;
        this.maxMs = maxMs;
        this.holdMs = firstMs;
    }

    /** The task is to run again: after the current hold, or with the run already scheduled. */
    void request() {
        if (next != null) {
            return;
        }
        long now = System.currentTimeMillis();
        // asked again within maxMs of the end of the last hold: still churning, hold longer. Judged
        // against the hold's end, not the request before: on a busy machine updates come in bursts
        // with gaps, and falling back at every gap (tried) brought the recomputation storms back
        holdMs = now - (lastRunAt + holdMs) > maxMs ? firstMs : Math.min(holdMs * 2, maxMs);
        schedule(now, Math.max(firstMs, lastRunAt + holdMs - now));
    }

    /**
     * The task is to run after {@code firstMs} at the latest, hold or not: this router's own links
     * changed, and until the routes are computed again traffic may be sent towards a connection
     * that is gone, or find no way to a router that has just come back.
     */
    void requestSoon() {
        long now = System.currentTimeMillis();
        if (next != null) {
            if (nextAt <= now + firstMs) {
                return;
            }
            next.cancel(false);
        }
        schedule(now, firstMs);
    }

    private void schedule(long now, long delay) {
        nextAt = now + delay;
        next = executor.schedule(this::run, delay, TimeUnit.MILLISECONDS);
    }

    private void run() {
        next = null;
        lastRunAt = System.currentTimeMillis();
        task.run();
    }

    /** Whether a run is scheduled. */
    boolean isPending() {
        return next != null;
    }

    /** The wait the next run keeps from the last one; for tests and status. */
    long holdMs() {
        return holdMs;
    }
}
