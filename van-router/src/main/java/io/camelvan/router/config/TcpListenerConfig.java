package io.camelvan.router.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of {@code tcpListeners:}: a local port whose every accepted connection becomes a flow
 * to the routing key.
 *
 * @param host the address to listen on (default 127.0.0.1)
 * @param port the port (0 = any free port)
 * @param maxConnections connections (flows) open at once; more are reset as soon as they are accepted
 *        (default 0 = no limit)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TcpListenerConfig(String name, String routingKey, String host, Integer port,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) Integer maxConnections)
        implements ServiceConfig {

    public TcpListenerConfig {
        host = host == null ? ServiceDefaults.HOST : host;
        maxConnections = maxConnections == null ? 0 : maxConnections;
    }

    /** An entry with the defaults for everything but where it listens. */
    public TcpListenerConfig(String name, String routingKey, String host, Integer port) {
        this(name, routingKey, host, port, null);
    }

    /** The same entry listening elsewhere. */
    public TcpListenerConfig at(String newHost, Integer newPort) {
        return new TcpListenerConfig(name, routingKey, newHost, newPort, maxConnections);
    }

    @Override
    @JsonIgnore
    public ServiceType type() {
        return ServiceType.TCP_LISTENER;
    }
}
