package io.camelvan.router.config;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A host and a port as an operator writes them: {@code west.example.com:55671}, {@code 10.0.0.5:55671},
 * or {@code [fd00::5]:55671} for an IPv6 address.
 */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || host.contains(" ")) {
            throw new IllegalArgumentException("'" + host + "' is not a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(port + " is not a port (1-65535)");
        }
    }

    /**
     * Reads {@code HOST:PORT}.
     *
     * @throws IllegalArgumentException saying what is wrong, with an example
     */
    public static HostPort parse(String text) {
        String value = text == null ? "" : text.trim();
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? "" : value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            host = ""; // an IPv6 address needs brackets, or its last group would read as the port
        }
        if (host.isEmpty() || colon == value.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT (examples: west.example.com:55671, [fd00::5]:55671)");
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT: '" + value.substring(colon + 1) + "' is not a port");
        }
        return new HostPort(host, port);
    }

    /** Whether this is a wildcard address (listen on all interfaces), which no other site can dial. */
    @JsonIgnore
    public boolean isWildcard() {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    /** {@code HOST:PORT}, with brackets around an IPv6 address; as in URLs. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
