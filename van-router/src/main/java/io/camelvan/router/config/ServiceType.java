package io.camelvan.router.config;

import java.util.Locale;

/**
 * The kinds of service entry: their section in the site YAML, their management type, and how the
 * CLI names them ({@code listener --type tcp}).
 */
public enum ServiceType {

    TCP_LISTENER("tcpListeners", "tcpListener", TcpListenerConfig.class),
    TCP_CONNECTOR("tcpConnectors", "tcpConnector", TcpConnectorConfig.class),
    HTTP_LISTENER("httpListeners", "httpListener", HttpListenerConfig.class),
    HTTP_CONNECTOR("httpConnectors", "httpConnector", HttpConnectorConfig.class);

    private final String section;
    private final String managementType;
    private final Class<? extends ServiceConfig> configClass;

    ServiceType(String section, String managementType, Class<? extends ServiceConfig> configClass) {
        this.section = section;
        this.managementType = managementType;
        this.configClass = configClass;
    }

    /** The top-level key of the site YAML that lists entries of this kind. */
    public String section() {
        return section;
    }

    /** The entity type of the management endpoint. */
    public String managementType() {
        return managementType;
    }

    public Class<? extends ServiceConfig> configClass() {
        return configClass;
    }

    /** True for listeners (a local port), false for connectors (a remote host and port). */
    public boolean isListener() {
        return this == TCP_LISTENER || this == HTTP_LISTENER;
    }

    /** {@code tcp} or {@code http}. */
    public String protocol() {
        return this == TCP_LISTENER || this == TCP_CONNECTOR ? "tcp" : "http";
    }

    /**
     * The type for a protocol ({@code tcp}, {@code http}) and role.
     *
     * @throws IllegalArgumentException for another protocol
     */
    public static ServiceType of(String protocol, boolean listener) {
        return switch (protocol.toLowerCase(Locale.ROOT)) {
            case "tcp" -> listener ? TCP_LISTENER : TCP_CONNECTOR;
            case "http" -> listener ? HTTP_LISTENER : HTTP_CONNECTOR;
            default -> throw new IllegalArgumentException("'" + protocol + "' is not a service type (tcp, http)");
        };
    }
}
