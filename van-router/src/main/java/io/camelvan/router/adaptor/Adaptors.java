package io.camelvan.router.adaptor;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.adaptor.http.HttpConnector;
import io.camelvan.router.adaptor.http.HttpListener;
import io.camelvan.router.adaptor.tcp.TcpConnector;
import io.camelvan.router.adaptor.tcp.TcpListener;
import io.camelvan.router.config.HttpConnectorConfig;
import io.camelvan.router.config.HttpListenerConfig;
import io.camelvan.router.config.ServiceConfig;
import io.camelvan.router.config.ServiceType;
import io.camelvan.router.config.ServiceValidator;
import io.camelvan.router.config.SiteConfig;
import io.camelvan.router.config.TcpConnectorConfig;
import io.camelvan.router.config.TcpListenerConfig;

/**
 * The adaptors of one router, by type and name: started from the site file, changed at run time
 * by management and by edits of the site file. Thread-safe.
 */
public final class Adaptors implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Adaptors.class);

    private final AdaptorContext context;
    private final Map<ServiceType, Map<String, Adaptor>> running = new EnumMap<>(ServiceType.class);
    private boolean closed;

    public Adaptors(AdaptorContext context) {
        this.context = context;
        for (ServiceType type : ServiceType.values()) {
            running.put(type, new LinkedHashMap<>());
        }
    }

    /** Starts every entry of the site file. @throws IllegalStateException when one cannot start */
    public synchronized void start(SiteConfig config) {
        for (ServiceType type : ServiceType.values()) {
            config.services(type).forEach(this::create);
        }
    }

    /**
     * Starts an entry.
     *
     * @throws IllegalArgumentException when the entry is not valid
     * @throws IllegalStateException when its name is taken or it cannot start (a port in use)
     */
    public synchronized Adaptor create(ServiceConfig entry) {
        List<ServiceValidator.Problem> problems = ServiceValidator.problems(entry);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems.stream().map(p -> p.field() + ": " + p.reason()).toList()));
        }
        if (closed) {
            throw new IllegalStateException("the router is stopping");
        }
        Map<String, Adaptor> ofType = running.get(entry.type());
        if (ofType.containsKey(entry.name())) {
            throw new IllegalStateException("there is already a " + entry.type().managementType() + " named '" + entry.name() + "'");
        }
        Adaptor adaptor = switch (entry.type()) {
            case TCP_LISTENER -> new TcpListener((TcpListenerConfig) entry, context);
            case TCP_CONNECTOR -> new TcpConnector((TcpConnectorConfig) entry, context);
            case HTTP_LISTENER -> new HttpListener((HttpListenerConfig) entry, context);
            case HTTP_CONNECTOR -> new HttpConnector((HttpConnectorConfig) entry, context);
        };
        ofType.put(entry.name(), adaptor);
        return adaptor;
    }

    /** Stops an entry. @throws NoSuchElementException when there is none of that name */
    public synchronized void delete(ServiceType type, String name) {
        Adaptor adaptor = running.get(type).remove(name);
        if (adaptor == null) {
            throw new NoSuchElementException("no " + type.managementType() + " named '" + name + "'");
        }
        adaptor.close();
    }

    /** The running entries of a type, in the order they were started. */
    public synchronized List<Adaptor> list(ServiceType type) {
        return new ArrayList<>(running.get(type).values());
    }

    /** The running entry of that type and name, or null. */
    public synchronized Adaptor get(ServiceType type, String name) {
        return running.get(type).get(name);
    }

    /**
     * Follows an edit of the site file: entries it removed stop, entries it added start, changed ones
     * restart. Entries the edit did not touch stay as they are, also those made through management
     * and not written to the file. A failure is logged and the rest still applied.
     */
    public synchronized void apply(SiteConfig before, SiteConfig after) {
        for (ServiceType type : ServiceType.values()) {
            Map<String, ServiceConfig> old = byName(before.services(type));
            Map<String, ServiceConfig> next = byName(after.services(type));
            old.forEach((name, entry) -> {
                Adaptor current = running.get(type).get(name);
                if (!entry.equals(next.get(name)) && current != null && current.config().equals(entry)) {
                    LOG.info("[{}] {} '{}' removed from the site file", context.core().routerId(), type.managementType(), name);
                    delete(type, name);
                }
            });
            next.forEach((name, entry) -> {
                if (!entry.equals(old.get(name)) && !running.get(type).containsKey(name)) {
                    try {
                        create(entry);
                    } catch (RuntimeException e) {
                        LOG.warn("[{}] {} '{}' of the site file cannot start: {}", context.core().routerId(),
                            type.managementType(), name, e.getMessage());
                    }
                }
            });
        }
    }

    private static Map<String, ServiceConfig> byName(List<? extends ServiceConfig> entries) {
        Map<String, ServiceConfig> map = new LinkedHashMap<>();
        entries.stream().filter(Objects::nonNull).forEach(e -> map.put(e.name(), e));
        return map;
    }

    @Override
    public synchronized void close() {
        closed = true;
        running.values().forEach(ofType -> {
            ofType.values().forEach(Adaptor::close);
            ofType.clear();
        });
    }
}
