package io.camelvan.camel;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.Delivery;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.ReceiverOptions;
import org.apache.qpid.protonj2.client.exceptions.ClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request-reply: one dynamic receiver ({@code _van/<router>/temp/N}) whose address goes into {@code reply-to}; each
 * reply is matched to its request by {@code correlation-id}. One thread receives; callers get futures.
 */
final class ReplyCorrelator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyCorrelator.class);
    private static final int CREDIT = 1000;

    private final Receiver receiver;
    private final Map<String, CompletableFuture<Message<?>>> pending = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean open = true;

    ReplyCorrelator(Connection connection) throws ClientException {
        this.receiver = connection.openDynamicReceiver(new ReceiverOptions().creditWindow(CREDIT).autoAccept(true));
        this.thread = new Thread(this::receiveReplies, "van-replies");
        thread.setDaemon(true);
        thread.start();
    }

    /** The reply-to address; waits until the router has named it. */
    String address() throws ClientException {
        return receiver.address();
    }

    /** A future for the reply that will carry this correlation-id; cancel it with {@link #forget}. */
    CompletableFuture<Message<?>> expect(String correlationId) {
        CompletableFuture<Message<?>> f = new CompletableFuture<>();
        pending.put(correlationId, f);
        return f;
    }

    void forget(String correlationId) {
        pending.remove(correlationId);
    }

    private void receiveReplies() {
        while (open) {
            try {
                Delivery d = receiver.receive(200, TimeUnit.MILLISECONDS);
                if (d == null) {
                    continue;
                }
                Message<?> reply = d.message();
                Object id = reply.correlationId();
                CompletableFuture<Message<?>> f = id == null ? null : pending.remove(id.toString());
                if (f != null) {
                    f.complete(reply);
                } else {
                    LOG.debug("dropped a reply nobody waits for (correlation-id {}): it came after its request timed out", id);
                }
            } catch (ClientException e) {
                if (open) {
                    LOG.debug("reply receiver: {}", e.getMessage());
                    // after a reconnect the client re-attaches the link; until then receive fails fast
                    sleepQuietly();
                }
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        open = false;
        receiver.close();
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("the van component stopped")));
        pending.clear();
    }
}
