package io.camelvan.router.management;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.Properties;
import org.apache.qpid.protonj2.types.transport.DeliveryState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.amqp.AmqpMessage;
import io.camelvan.router.amqp.LocalReceiver;
import io.camelvan.router.amqp.LocalSender;
import io.camelvan.router.core.Address;
import io.camelvan.router.core.RouterCore;

/**
 * The router's AMQP management endpoint, at {@code $management} for its own clients and at
 * {@code _van/<router-id>/$management} for anyone in the network. A request is a message with
 * application properties {@code operation} (CREATE, READ, UPDATE, DELETE, QUERY), {@code type}
 * and {@code name}, a map body for CREATE and UPDATE (and options for QUERY), and a
 * {@code reply-to}; the reply carries {@code statusCode} and {@code statusDescription} and the
 * entity (a map) or entities (a list of maps). The admin HTTP API calls the same operations
 * through {@link #call}. See docs/management.md.
 */
public final class ManagementEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementEndpoint.class);
    public static final String ADDRESS = "$management";

    private final RouterCore core;
    private final Executor loop;
    private final Map<String, ManagedType> types = new ConcurrentHashMap<>();
    private final Map<String, GatheredType> gathered = new ConcurrentHashMap<>();
    private final Address local;
    private final Address network;
    private final LocalReceiver receiver;

    /** @param loop the single thread requests are handled on */
    public ManagementEndpoint(RouterCore core, Executor loop) {
        this.core = core;
        this.loop = loop;
        this.receiver = new LocalReceiver(loop, this::handle);
        this.local = core.addresses().acquire(ADDRESS);
        this.network = core.addresses().acquire(core.localAddress(ADDRESS));
        local.addConsumer(receiver);
        network.addConsumer(receiver);
    }

    /** Makes a type of entity manageable. */
    public void register(String type, ManagedType handler) {
        types.put(type, handler);
    }

    /** Makes a type queryable whose answers are gathered from other routers. */
    public void register(String type, GatheredType handler) {
        gathered.put(type, handler);
    }

    /**
     * The entities of a type of this router, or null when no such type is registered. Call on the
     * endpoint's thread (types that read other parts of the router, such as status, do).
     */
    List<Map<String, Object>> queryHere(String type) {
        ManagedType t = types.get(type);
        return t == null ? null : t.query();
    }

    /** Runs one operation on the endpoint's thread, as if it had come in a request message. */
    public CompletableFuture<ManagementReply> call(String operation, String type, String name, Map<String, Object> body) {
        CompletableFuture<ManagementReply> reply = new CompletableFuture<>();
        loop.execute(() -> answer(operation, type, name, body).whenComplete((r, e) -> reply.complete(
            e == null ? r : failure(e instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e))));
        return reply;
    }

    @SuppressWarnings("unchecked")
    private DeliveryState handle(AmqpMessage request) {
        Object replyTo = request.properties().getReplyTo();
        Object id = request.properties().getMessageId();
        Map<String, Object> ap = request.applicationProperties();
        Map<String, Object> body = request.body() instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Object name = ap.get("name");
        CompletionStage<ManagementReply> reply = answer(String.valueOf(ap.get("operation")),
            ap.get("type") instanceof String s ? s : null, name == null ? null : name.toString(), body);
        reply.whenComplete((r, e) -> {
            ManagementReply sent = e == null ? r : failure(e instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e);
            if (replyTo != null) {
                LocalSender.send(core, loop, replyTo.toString(), message(id, sent), outcome -> { });
            }
        });
        return Accepted.getInstance();
    }

    private CompletionStage<ManagementReply> answer(String operation, String typeName, String name, Map<String, Object> body) {
        try {
            GatheredType g = typeName == null ? null : gathered.get(typeName);
            if (g != null) {
                if (!"QUERY".equals(operation)) {
                    throw new ManagementException(405, "entities of type '" + typeName + "' can only be queried");
                }
                return g.query(body).thenApply(result -> new ManagementReply(200, "OK", result));
            }
            Object result = dispatch(operation, typeName, name, body);
            int status = "CREATE".equals(operation) ? 201 : "DELETE".equals(operation) ? 204 : 200;
            return CompletableFuture.completedFuture(new ManagementReply(status, "OK", result));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(e));
        }
    }

    private ManagementReply failure(Throwable e) {
        if (e instanceof ManagementException m) {
            return new ManagementReply(m.status(), m.getMessage(), null);
        }
        LOG.warn("[{}] management request failed", core.routerId(), e);
        return new ManagementReply(500, e.toString(), null);
    }

    private Object dispatch(String operation, String typeName, String name, Map<String, Object> body) {
        ManagedType type = typeName == null ? null : types.get(typeName);
        if (type == null) {
            TreeSet<String> known = new TreeSet<>(types.keySet());
            known.addAll(gathered.keySet());
            throw ManagementException.badRequest("unknown type '" + typeName + "' (known: " + String.join(", ", known) + ")");
        }
        return switch (operation) {
            case "QUERY" -> type.query(body);
            case "READ" -> type.read(required(name));
            case "CREATE" -> type.create(required(name), body);
            case "UPDATE" -> type.update(required(name), body);
            case "DELETE" -> {
                type.delete(required(name));
                yield null;
            }
            default -> throw ManagementException.badRequest("unknown operation '" + operation
                + "' (CREATE, READ, UPDATE, DELETE, QUERY)");
        };
    }

    private static String required(String name) {
        if (name == null || name.isBlank()) {
            throw ManagementException.badRequest("the request needs a 'name' application property");
        }
        return name;
    }

    private static AmqpMessage message(Object correlationId, ManagementReply reply) {
        Map<String, Object> ap = new LinkedHashMap<>();
        ap.put("statusCode", reply.status());
        ap.put("statusDescription", reply.description());
        Properties properties = new Properties().setCorrelationId(correlationId);
        Object value = reply.body() instanceof List<?> list ? new ArrayList<>(list) : reply.body();
        return new AmqpMessage(properties, ap, value);
    }

    @Override
    public void close() {
        local.removeConsumer(receiver);
        network.removeConsumer(receiver);
        core.addresses().release(local);
        core.addresses().release(network);
    }
}
