package io.camelvan.router.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * One entry of {@code httpListeners:}: a local HTTP/1.1 port whose every request becomes a message
 * to the routing key.
 *
 * @param host the address to listen on (default 127.0.0.1)
 * @param port the port (0 = any free port)
 * @param maxRequestSize largest request body accepted; larger ones get 413 (default 10MiB, 0 = no limit)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HttpListenerConfig(String name, String routingKey, String host, Integer port,
        @JsonDeserialize(using = Units.SizeDeserializer.class) Long maxRequestSize) implements ServiceConfig {

    public static final long DEFAULT_MAX_REQUEST_SIZE = 10L << 20;

    public HttpListenerConfig {
        host = host == null ? ServiceDefaults.HOST : host;
        maxRequestSize = maxRequestSize == null ? DEFAULT_MAX_REQUEST_SIZE : maxRequestSize;
    }

    @Override
    @JsonIgnore
    public ServiceType type() {
        return ServiceType.HTTP_LISTENER;
    }
}
