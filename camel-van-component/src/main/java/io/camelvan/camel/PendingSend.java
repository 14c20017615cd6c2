package io.camelvan.camel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.qpid.protonj2.client.Message;

/**
 * One exchange on its way: the message, its latest send, how often it was resent, and for request-reply the
 * reply its caller waits for. It finishes exactly once: in its caller's thread, or, when an InOnly message had to be
 * sent again, on the producer's executor (never on a protonj2 or watcher thread, which must not run routes).
 */
final class PendingSend {

    final Exchange exchange;
    final Message<?> message;
    final String messageId;
    final long deadlineNanos;
    /** The reply of a request-reply exchange, null for InOnly; a failure of the request fails it. */
    final CompletableFuture<Message<?>> reply;
    /** The latest send, unsettled; null when sent pre-settled. */
    volatile OutgoingLink.Sent sent;
    volatile int resends;
    private final AsyncCallback callback;
    private final Executor executor;
    private final AtomicBoolean done = new AtomicBoolean();

    PendingSend(Exchange exchange, AsyncCallback callback, Message<?> message, String messageId,
                CompletableFuture<Message<?>> reply, long deadlineNanos, Executor executor) {
        this.exchange = exchange;
        this.callback = callback;
        this.message = message;
        this.messageId = messageId;
        this.reply = reply;
        this.deadlineNanos = deadlineNanos;
        this.executor = executor;
    }

    boolean expectsReply() {
        return reply != null;
    }

    boolean isDone() {
        return done.get();
    }

    /** Marks it finished by its caller's thread, so that late outcomes and pending resends leave it alone. */
    void finishInCaller() {
        done.set(true);
    }

    /** Finishes an exchange that went on asynchronously, with {@code error} or none, on the executor. */
    void complete(Throwable error) {
        if (done.compareAndSet(false, true)) {
            if (error != null) {
                exchange.setException(error);
            }
            executor.execute(() -> callback.done(false));
        }
    }

    /** Fails it: a request-reply through its reply, which its caller waits for; else asynchronously. */
    void fail(Throwable error) {
        if (reply != null) {
            reply.completeExceptionally(error);
        } else {
            complete(error);
        }
    }
}
