package io.camelvan.router.management;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * and {@code name}, a map body for CREATE and UPDATE, and a {@code reply-to}; the reply carries
 * {@code statusCode} and {@code statusDescription} and the entity (a map) or entities (a list of
 * maps). See docs/management.md.
 */
public final class ManagementEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementEndpoint.class);
    public static final String ADDRESS = "$management";

    private final RouterCore core;
    private final Executor loop;
    private final Map<String, ManagedType> types = new ConcurrentHashMap<>();
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

    private DeliveryState handle(AmqpMessage request) {
        Object replyTo = request.properties().getReplyTo();
        Object id = request.properties().getMessageId();
        AmqpMessage reply;
        try {
            Object result = dispatch(request);
            reply = reply(id, statusOf(request), "OK", result);
        } catch (ManagementException e) {
            reply = reply(id, e.status(), e.getMessage(), null);
        } catch (RuntimeException e) {
            LOG.warn("[{}] management request failed", core.routerId(), e);
            reply = reply(id, 500, e.toString(), null);
        }
        if (replyTo != null) {
            LocalSender.send(core, loop, replyTo.toString(), reply, outcome -> { });
        }
        return Accepted.getInstance();
    }

    private static int statusOf(AmqpMessage request) {
        Object op = request.applicationProperties().get("operation");
        return "CREATE".equals(op) ? 201 : "DELETE".equals(op) ? 204 : 200;
    }

    @SuppressWarnings("unchecked")
    private Object dispatch(AmqpMessage request) {
        Map<String, Object> ap = request.applicationProperties();
        String operation = String.valueOf(ap.get("operation"));
        String typeName = (String) ap.get("type");
        String name = (String) ap.get("name");
        ManagedType type = typeName == null ? null : types.get(typeName);
        if (type == null) {
            throw ManagementException.badRequest("unknown type '" + typeName + "' (known: " + String.join(", ", types.keySet()) + ")");
        }
        Map<String, Object> body = request.body() instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return switch (operation) {
            case "QUERY" -> type.query();
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

    private static AmqpMessage reply(Object correlationId, int status, String description, Object body) {
        Map<String, Object> ap = new LinkedHashMap<>();
        ap.put("statusCode", status);
        ap.put("statusDescription", description);
        Properties properties = new Properties().setCorrelationId(correlationId);
        Object value = body instanceof List<?> list ? List.copyOf(list) : body;
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
