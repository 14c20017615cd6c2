package io.camelvan.router.config;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * One entry of {@code listeners:}: a port where the router accepts AMQP connections.
 *
 * @param tls name of a profile under {@code tls:}; required for inter-router and edge roles
 * @param advertise {@code HOST:PORT} by which other sites reach this listener (written into access tokens
 *        and link files); default {@code host:port}. Needed when the listener binds a wildcard address or
 *        sits behind NAT or a load balancer.
 * @param saslMechanisms mechanisms offered; default ANONYMOUS and PLAIN on normal listeners
 *        (PLAIN only when users are configured), EXTERNAL on inter-router and edge listeners
 * @param authenticatePeer when true, ANONYMOUS is never offered
 * @param idleTimeout the idle timeout the router asks its peers to honour (default 16s, 0 = none)
 * @param maxFrameSize largest frame the router accepts (default 64KiB)
 * @param maxMessageSize largest message accepted on this listener (default 0 = no limit)
 * @param maxSessions sessions per connection (default 32768)
 * @param maxConnections connections open at once on this listener; more are refused (default 0 = no limit)
 * @param policy which addresses connections of this listener may send to and receive from (default: any)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ListenerConfig(
        String name,
        String host,
        Integer port,
        ListenerRole role,
        String tls,
        String advertise,
        List<SaslMechanism> saslMechanisms,
        Boolean authenticatePeer,
        @JsonDeserialize(using = Units.DurationDeserializer.class) @JsonSerialize(using = Units.DurationSerializer.class)
        Duration idleTimeout,
        @JsonDeserialize(using = Units.SizeDeserializer.class) Long maxFrameSize,
        @JsonDeserialize(using = Units.SizeDeserializer.class) Long maxMessageSize,
        Integer maxSessions,
        Integer maxConnections,
        AddressPolicy policy) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(16);
    public static final long DEFAULT_MAX_FRAME_SIZE = 65536;
    public static final int DEFAULT_MAX_SESSIONS = 32768;

    public ListenerConfig {
        host = host == null ? "127.0.0.1" : host;
        role = role == null ? ListenerRole.NORMAL : role;
        authenticatePeer = authenticatePeer != null && authenticatePeer;
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        maxFrameSize = maxFrameSize == null ? DEFAULT_MAX_FRAME_SIZE : maxFrameSize;
        maxMessageSize = maxMessageSize == null ? 0L : maxMessageSize;
        maxSessions = maxSessions == null ? DEFAULT_MAX_SESSIONS : maxSessions;
        maxConnections = maxConnections == null ? 0 : maxConnections;
        policy = policy == null ? AddressPolicy.ANY : policy;
    }

    /**
     * How other sites reach this listener: {@code advertise}, else {@code host:port}.
     *
     * @throws IllegalArgumentException when {@code advertise} is malformed, or absent while the port is 0 (any free port)
     */
    public HostPort advertisedAddress() {
        return advertise != null ? HostPort.parse(advertise) : new HostPort(host, port);
    }
}
