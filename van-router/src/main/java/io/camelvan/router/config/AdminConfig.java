package io.camelvan.router.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The {@code admin:} section: the HTTP port with /healthz, /metrics, the JSON API and the console.
 * Loopback unless told otherwise; on any other interface a token is required.
 *
 * @param token the bearer token every request but /healthz must carry (literal or {@code ${env:NAME}});
 *        required when {@code host} is not a loopback address, at least {@link #MIN_TOKEN_LENGTH} characters
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdminConfig(String host, Integer port, String token) {

    public static final int MIN_TOKEN_LENGTH = 16;

    public AdminConfig {
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 9090 : port;
    }

    /** True when {@code host} names only this machine (127.0.0.0/8, ::1, localhost). */
    @JsonIgnore
    public boolean isLoopback() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The token with {@code ${env:NAME}} resolved, or null when none is configured. */
    public String resolvedToken() {
        return token == null ? null : Secrets.resolve(token);
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "AdminConfig[host=" + host + ", port=" + port + ", token=" + (token == null ? "none" : "(set)") + "]";
    }
}
