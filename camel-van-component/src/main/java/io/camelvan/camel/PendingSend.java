package io.camelvan.camel;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Tracker;

/**
 * One exchange on its way: the message, its latest tracker, how often it was resent. It completes exactly once,
 * on the producer's executor (never on a protonj2 or watcher thread, which must not run routes).
 */
final class PendingSend {

    final Exchange exchange;
    final Message<?> message;
    final String messageId;
    final boolean expectsReply;
    final long deadlineNanos;
    volatile Tracker tracker;
    volatile int resends;
    private final AsyncCallback callback;
    private final Executor executor;
    private final AtomicBoolean done = new AtomicBoolean();

    PendingSend(Exchange exchange, AsyncCallback callback, Message<?> message, String messageId,
                boolean expectsReply, long deadlineNanos, Executor executor) {
        this.exchange = exchange;
        this.callback = callback;
        this.message = message;
        this.messageId = messageId;
        this.expectsReply = expectsReply;
        this.deadlineNanos = deadlineNanos;
        this.executor = executor;
    }

    boolean isDone() {
        return done.get();
    }

    void succeed() {
        if (done.compareAndSet(false, true)) {
            executor.execute(() -> callback.done(false));
        }
    }

    void fail(Throwable error) {
        if (done.compareAndSet(false, true)) {
            exchange.setException(error);
            executor.execute(() -> callback.done(false));
        }
    }
}
