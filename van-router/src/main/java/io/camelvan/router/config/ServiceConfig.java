package io.camelvan.router.config;

/**
 * What the four service sections ({@code tcpListeners}, {@code tcpConnectors}, {@code httpListeners},
 * {@code httpConnectors}) have in common: a name, the routing key of the service, and a socket
 * address (where a listener listens, or where a connector connects).
 */
public interface ServiceConfig {

    String name();

    String routingKey();

    String host();

    Integer port();

    /** Which section the entry belongs to. */
    ServiceType type();
}
