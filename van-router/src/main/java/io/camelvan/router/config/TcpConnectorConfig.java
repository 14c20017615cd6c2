package io.camelvan.router.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of {@code tcpConnectors:}: makes the routing key reachable; each flow sent to it opens
 * a connection to host:port.
 *
 * @param host the server's host (default 127.0.0.1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TcpConnectorConfig(String name, String routingKey, String host, Integer port) implements ServiceConfig {

    public TcpConnectorConfig {
        host = host == null ? ServiceDefaults.HOST : host;
    }

    @Override
    @JsonIgnore
    public ServiceType type() {
        return ServiceType.TCP_CONNECTOR;
    }
}
