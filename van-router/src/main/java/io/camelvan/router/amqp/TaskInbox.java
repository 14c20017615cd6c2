package io.camelvan.router.amqp;

import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import io.netty.util.internal.ThreadExecutorMap;

/**
 * Tasks handed to one connection's event loop from anywhere (deliveries from other loops, their
 * outcomes, wakeups). However many arrive in a burst, the loop is given one task that runs them all
 * in order and then calls {@code afterBurst} once (a flush), instead of one loop task, one wakeup
 * check and one flush per delivery.
 *
 * <p>When the tasks come from another event loop, that loop hands the drain over only once it has
 * finished its current round of reads: the target loop is then woken once for the whole burst
 * rather than for its first task (and again for whatever came after it had gone back to sleep).
 */
final class TaskInbox {

    private static final Logger LOG = LoggerFactory.getLogger(TaskInbox.class);
    private static final AtomicIntegerFieldUpdater<TaskInbox> SCHEDULED =
        AtomicIntegerFieldUpdater.newUpdater(TaskInbox.class, "scheduled");

    private final Queue<Runnable> tasks = PlatformDependent.newMpscQueue();
    private final Supplier<EventExecutor> loop;
    private final Runnable afterBurst;
    private final Runnable drain = this::drain;
    private final Runnable handOver = this::handOver;
    private volatile int scheduled;

    /** @param loop the connection's event loop (known once its channel is registered) */
    TaskInbox(Supplier<EventExecutor> loop, Runnable afterBurst) {
        this.loop = loop;
        this.afterBurst = afterBurst;
    }

    /** Queues a task; from any thread, the loop's own included (it then runs later, never re-entrantly). */
    void add(Runnable task) {
        tasks.add(task);
        if (scheduled == 0 && SCHEDULED.compareAndSet(this, 0, 1)) {
            EventExecutor here = ThreadExecutorMap.currentExecutor();
            if (here == null || here == loop.get() || !handOverLater(here)) {
                handOver();
            }
        }
    }

    /** Queues the hand-over on the caller's own loop (no wakeup needed), to run after its current reads. */
    private boolean handOverLater(EventExecutor here) {
        try {
            here.execute(handOver);
            return true;
        } catch (RejectedExecutionException e) {
            return false; // the caller's loop is shutting down
        }
    }

    private void handOver() {
        try {
            loop.get().execute(drain);
        } catch (RejectedExecutionException e) {
            scheduled = 0; // the loop is shutting down: the next task tries (and fails) again
            throw e;
        }
    }

    private void drain() {
        // cleared before polling: a task added after the last poll schedules another drain
        scheduled = 0;
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // as the event loop would for a task of its own: the rest of the burst still runs
                LOG.warn("A task raised an exception", e);
            }
        }
        afterBurst.run();
    }
}
