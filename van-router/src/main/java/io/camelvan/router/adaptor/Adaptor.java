package io.camelvan.router.adaptor;

import java.util.Map;

import io.camelvan.router.config.ServiceConfig;

/**
 * One running service entry: a TCP or HTTP listener (a local port whose connections or requests go
 * to a routing key) or connector (a consumer of a routing key that connects to a server).
 */
public interface Adaptor extends AutoCloseable {

    ServiceConfig config();

    /** What management shows of it: its configuration and how it is doing. */
    Map<String, Object> status();

    /** Stops it: a listener closes its port, a connector stops consuming; open flows and requests end. */
    @Override
    void close();
}
