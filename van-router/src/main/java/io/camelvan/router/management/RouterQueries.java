package io.camelvan.router.management;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.Properties;
import org.apache.qpid.protonj2.types.transport.DeliveryState;

import io.camelvan.router.amqp.AmqpMessage;
import io.camelvan.router.amqp.LocalReceiver;
import io.camelvan.router.amqp.LocalSender;
import io.camelvan.router.core.Address;
import io.camelvan.router.core.RouterCore;

/**
 * Asks the management endpoints of other routers ({@code _van/<router-id>/$management}), across
 * the mesh, and hands back their replies. Replies come to one temporary address of this router.
 * A router that cannot be reached or does not answer in time yields a 503 or 504 reply instead.
 */
public final class RouterQueries implements AutoCloseable {

    private final RouterCore core;
    private final ScheduledExecutorService loop;
    private final Address replies;
    private final LocalReceiver receiver;
    /** Requests waiting for their reply, by message id; touched on the loop only. */
    private final Map<String, CompletableFuture<ManagementReply>> pending = new HashMap<>();

    /** @param loop the single thread requests are sent and replies handled on */
    public RouterQueries(RouterCore core, ScheduledExecutorService loop) {
        this.core = core;
        this.loop = loop;
        this.replies = core.addresses().acquire(core.newTemporaryAddress());
        this.receiver = new LocalReceiver(loop, this::onReply);
        replies.addConsumer(receiver);
    }

    /** Sends one request to another router's endpoint; the future completes with its reply, or a 503 / 504. */
    public CompletableFuture<ManagementReply> ask(String routerId, String operation, String type, String name,
            Map<String, Object> body, Duration timeout) {
        CompletableFuture<ManagementReply> reply = new CompletableFuture<>();
        loop.execute(() -> {
            String id = UUID.randomUUID().toString();
            pending.put(id, reply);
            Map<String, Object> ap = new LinkedHashMap<>();
            ap.put("operation", operation);
            ap.put("type", type);
            if (name != null) {
                ap.put("name", name);
            }
            Properties properties = new Properties().setMessageId(id).setReplyTo(replies.name());
            LocalSender.send(core, loop, "_van/" + routerId + "/" + ManagementEndpoint.ADDRESS,
                new AmqpMessage(properties, ap, body == null ? Map.of() : body), outcome -> {
                    if (!(outcome instanceof Accepted)) {
                        answer(id, new ManagementReply(503, "router '" + routerId + "' cannot be reached (" + outcome + ")", null));
                    }
                });
            loop.schedule(() -> answer(id, new ManagementReply(504, "router '" + routerId + "' did not answer within "
                + timeout.toMillis() + " ms", null)), timeout.toMillis(), TimeUnit.MILLISECONDS);
        });
        return reply;
    }

    /** The same request to several routers; completes when every one has answered or timed out. */
    public CompletableFuture<Map<String, ManagementReply>> askAll(Collection<String> routerIds, String operation,
            String type, Map<String, Object> body, Duration timeout) {
        Map<String, CompletableFuture<ManagementReply>> asked = new LinkedHashMap<>();
        routerIds.forEach(id -> asked.put(id, ask(id, operation, type, operation.equals("READ") ? id : null, body, timeout)));
        return CompletableFuture.allOf(asked.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, ManagementReply> out = new LinkedHashMap<>();
            asked.forEach((id, f) -> out.put(id, f.join()));
            return out;
        });
    }

    private void answer(String id, ManagementReply reply) {
        CompletableFuture<ManagementReply> waiting = pending.remove(id);
        if (waiting != null) {
            waiting.complete(reply);
        }
    }

    private DeliveryState onReply(AmqpMessage message) {
        Object correlation = message.properties().getCorrelationId();
        Map<String, Object> ap = message.applicationProperties();
        int status = ap.get("statusCode") instanceof Number n ? n.intValue() : 500;
        answer(String.valueOf(correlation), new ManagementReply(status, String.valueOf(ap.get("statusDescription")),
            message.body()));
        return Accepted.getInstance();
    }

    @Override
    public void close() {
        replies.removeConsumer(receiver);
        core.addresses().release(replies);
    }
}
