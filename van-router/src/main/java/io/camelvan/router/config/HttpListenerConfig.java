package io.camelvan.router.config;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * One entry of {@code httpListeners:}: a local HTTP/1.1 port whose every request becomes a message
 * to the routing key.
 *
 * @param host the address to listen on (default 127.0.0.1)
 * @param port the port (0 = any free port)
 * @param maxRequestSize largest request body accepted; larger ones get 413 (default 10MiB, 0 = no limit)
 * @param maxHeaderSize largest request head (all header lines) accepted; larger ones get 431 (default 16KiB)
 * @param headerTimeout how long a connection may take to send a whole request head, counted from its
 *        opening or from the last response it was owed; a slower one gets 408 and is closed (default 30s, 0 = none)
 * @param maxConnections client connections open at once; more are answered 503 and closed (default 0 = no limit)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HttpListenerConfig(String name, String routingKey, String host, Integer port,
        @JsonDeserialize(using = Units.SizeDeserializer.class) Long maxRequestSize,
        @JsonDeserialize(using = Units.SizeDeserializer.class) Long maxHeaderSize,
        @JsonDeserialize(using = Units.DurationDeserializer.class) @JsonSerialize(using = Units.DurationSerializer.class)
        Duration headerTimeout,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) Integer maxConnections) implements ServiceConfig {

    public static final long DEFAULT_MAX_REQUEST_SIZE = 10L << 20;
    public static final long DEFAULT_MAX_HEADER_SIZE = 16L << 10;
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(30);

    public HttpListenerConfig {
        host = host == null ? ServiceDefaults.HOST : host;
        maxRequestSize = maxRequestSize == null ? DEFAULT_MAX_REQUEST_SIZE : maxRequestSize;
        maxHeaderSize = maxHeaderSize == null ? DEFAULT_MAX_HEADER_SIZE : maxHeaderSize;
        headerTimeout = headerTimeout == null ? DEFAULT_HEADER_TIMEOUT : headerTimeout;
        maxConnections = maxConnections == null ? 0 : maxConnections;
    }

    /** An entry with the defaults for everything but where it listens. */
    public HttpListenerConfig(String name, String routingKey, String host, Integer port) {
        this(name, routingKey, host, port, null, null, null, null);
    }

    /** The same entry listening elsewhere. */
    public HttpListenerConfig at(String newHost, Integer newPort) {
        return new HttpListenerConfig(name, routingKey, newHost, newPort, maxRequestSize, maxHeaderSize, headerTimeout,
            maxConnections);
    }

    @Override
    @JsonIgnore
    public ServiceType type() {
        return ServiceType.HTTP_LISTENER;
    }
}
