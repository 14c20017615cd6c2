package io.camelvan.router.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of {@code httpConnectors:}: makes the routing key reachable; each request sent to it is
 * made to the HTTP/1.1 server at host:port over a pool of keep-alive connections.
 *
 * @param host the server's host (default 127.0.0.1)
 * @param maxConnections connections to the server at most, busy or idle (default 100); requests
 *        beyond wait for one to be free
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HttpConnectorConfig(String name, String routingKey, String host, Integer port, Integer maxConnections)
        implements ServiceConfig {

    public static final int DEFAULT_MAX_CONNECTIONS = 100;

    public HttpConnectorConfig {
        host = host == null ? ServiceDefaults.HOST : host;
        maxConnections = maxConnections == null ? DEFAULT_MAX_CONNECTIONS : maxConnections;
    }

    @Override
    @JsonIgnore
    public ServiceType type() {
        return ServiceType.HTTP_CONNECTOR;
    }
}
