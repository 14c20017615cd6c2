package io.camelvan.camel;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.qpid.protonj2.client.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request-reply: a reply address ({@code _van/<router>/temp/N}) that goes into {@code reply-to}, and each reply
 * matched to its request by {@code correlation-id}. Callers get futures; how the replies arrive is the subclass's.
 */
abstract class ReplyCorrelator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyCorrelator.class);

    private final Map<String, CompletableFuture<Message<?>>> pending = new ConcurrentHashMap<>();

    /** The reply-to address; waits until the router has named it. */
    abstract String address() throws Exception;

    /** A future for the reply that will carry this correlation-id; cancel it with {@link #forget}. */
    CompletableFuture<Message<?>> expect(String correlationId) {
        CompletableFuture<Message<?>> f = new CompletableFuture<>();
        pending.put(correlationId, f);
        return f;
    }

    void forget(String correlationId) {
        pending.remove(correlationId);
    }

    /** Hands a reply to the caller waiting for it, if one still is. */
    protected void onReply(Message<?> reply) throws Exception {
        Object id = reply.correlationId();
        CompletableFuture<Message<?>> f = id == null ? null : pending.remove(id.toString());
        if (f != null) {
            f.complete(reply);
        } else {
            LOG.debug("dropped a reply nobody waits for (correlation-id {}): it came after its request timed out", id);
        }
    }

    /** Fails the callers still waiting. */
    @Override
    public void close() {
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("the van component stopped")));
        pending.clear();
    }
}
