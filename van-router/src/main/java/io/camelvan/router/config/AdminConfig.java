package io.camelvan.router.config;

/** The {@code admin:} section: the HTTP port with /healthz and /metrics. Loopback unless told otherwise. */
public record AdminConfig(String host, Integer port) {

    public AdminConfig {
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 9090 : port;
    }
}
