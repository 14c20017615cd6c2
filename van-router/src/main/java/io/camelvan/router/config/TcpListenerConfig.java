package io.camelvan.router.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of {@code tcpListeners:}: a local port whose every accepted connection becomes a flow
 * to the routing key.
 *
 * @param host the address to listen on (default 127.0.0.1)
 * @param port the port (0 = any free port)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TcpListenerConfig(String name, String routingKey, String host, Integer port) implements ServiceConfig {

    public TcpListenerConfig {
        host = host == null ? ServiceDefaults.HOST : host;
    }

    @Override
    @JsonIgnore
    public ServiceType type() {
        return ServiceType.TCP_LISTENER;
    }
}
