package io.camelvan.router.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of {@code links:}: an outgoing inter-router (or edge uplink) connection.
 *
 * @param cost added to every path through this link (default 1)
 * @param tls name of the TLS profile holding this link's client certificate and the peer's CA
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LinkConfig(String name, String host, Integer port, Integer cost, String tls) {

    public LinkConfig {
        cost = cost == null ? 1 : cost;
    }
}
