package io.camelvan.router.adaptor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.camelvan.router.config.ConfigLoader;
import io.camelvan.router.config.ServiceConfig;
import io.camelvan.router.config.ServiceType;
import io.camelvan.router.management.ManagedType;
import io.camelvan.router.management.ManagementException;

/**
 * The management entities of one service type ({@code tcpListener}, {@code tcpConnector},
 * {@code httpListener}, {@code httpConnector}): create from the same attributes as the site file's
 * entries, delete by name, query with live figures. The site file itself is not changed here (the
 * CLI does that).
 */
public final class ServiceEntities implements ManagedType {

    private final Adaptors adaptors;
    private final ServiceType type;

    public ServiceEntities(Adaptors adaptors, ServiceType type) {
        this.adaptors = adaptors;
        this.type = type;
    }

    @Override
    public Map<String, Object> create(String name, Map<String, Object> attributes) {
        Map<String, Object> fields = new LinkedHashMap<>(attributes);
        Object given = fields.put("name", name);
        if (given != null && !given.equals(name)) {
            throw ManagementException.badRequest("the 'name' attribute '" + given + "' differs from the request's name '" + name + "'");
        }
        ServiceConfig entry;
        try {
            entry = ConfigLoader.yaml().convertValue(fields, type.configClass());
        } catch (IllegalArgumentException e) {
            throw ManagementException.badRequest(describe(e));
        }
        try {
            return adaptors.create(entry).status();
        } catch (IllegalArgumentException e) {
            throw ManagementException.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            throw ManagementException.conflict(e.getMessage());
        }
    }

    private String describe(IllegalArgumentException e) {
        if (e.getCause() instanceof UnrecognizedPropertyException unknown) {
            return "unknown attribute '" + unknown.getPropertyName() + "' of a " + type.managementType() + " (known: "
                + unknown.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.toString() : root.getMessage();
        return "bad attributes for a " + type.managementType() + ": " + message.lines().findFirst().orElse(message);
    }

    @Override
    public void delete(String name) {
        try {
            adaptors.delete(type, name);
        } catch (NoSuchElementException e) {
            throw ManagementException.notFound(type.managementType() + " '" + name + "'");
        }
    }

    @Override
    public List<Map<String, Object>> query() {
        return adaptors.list(type).stream().map(Adaptor::status).toList();
    }
}
