package io.camelvan.router.adaptor.http;

import java.util.ArrayDeque;
import java.util.Map;

import io.camelvan.router.adaptor.AdaptorContext;
import io.camelvan.router.adaptor.ServiceConsumer;
import io.camelvan.router.config.HttpConnectorConfig;
import io.camelvan.router.core.RoutedDelivery;
import io.netty.channel.EventLoop;

/**
 * An {@code httpConnectors} entry: a consumer of the routing key that makes each request it is
 * given to its HTTP/1.1 server ({@link HttpConnectorExchange}) over a pool of keep-alive
 * connections: an idle connection is reused, a new one is opened while fewer than
 * {@code maxConnections} exist, and past that requests wait (unread, in their own bounded
 * streams) for a connection to come free.
 */
public final class HttpConnector extends ServiceConsumer {

    private final HttpConnectorConfig config;
    /** Connections with no request, most recently used first. Guarded by this. */
    private final ArrayDeque<ServerConnection> idle = new ArrayDeque<>();
    /** Requests waiting for a connection. Guarded by this. */
    private final ArrayDeque<RoutedDelivery> waiting = new ArrayDeque<>();
    private int connections;
    private boolean closing;

    public HttpConnector(HttpConnectorConfig config, AdaptorContext context) {
        super(config, context);
        this.config = config;
        register();
    }

    @Override
    protected synchronized void accept(RoutedDelivery delivery) {
        ServerConnection connection = idle.poll();
        if (connection != null) {
            connection.take(delivery);
        } else if (connections < config.maxConnections()) {
            open(delivery);
        } else {
            waiting.add(delivery);
        }
    }

    private void open(RoutedDelivery delivery) {
        connections++;
        EventLoop loop = context().loops().workers().next();
        new ServerConnection(this, loop).connect(delivery);
    }

    /**
     * Moves a request that met a pooled connection the server had closed onto a new connection,
     * on the same event loop. False when the connector is closing.
     */
    synchronized boolean reopen(ServerConnection stale, HttpConnectorExchange exchange) {
        if (closing) {
            return false;
        }
        connections++;
        ServerConnection fresh = new ServerConnection(this, stale.loop());
        exchange.movedTo(fresh);
        fresh.connectFor(exchange);
        return true;
    }

    /** A connection has finished its request and can take another. */
    synchronized void idle(ServerConnection connection) {
        if (closing) {
            connection.close();
            return;
        }
        RoutedDelivery next = waiting.poll();
        if (next != null) {
            connection.take(next);
        } else {
            idle.push(connection);
        }
    }

    /** A connection has closed (or never opened): a waiting request gets a new one. */
    synchronized void closed(ServerConnection connection) {
        connections--;
        idle.remove(connection);
        RoutedDelivery next = waiting.poll();
        if (next != null && !closing) {
            open(next);
        }
    }

    @Override
    public synchronized Map<String, Object> status() {
        Map<String, Object> status = super.status();
        status.put("maxConnections", config.maxConnections());
        status.put("serverConnections", connections);
        status.put("idleConnections", idle.size());
        status.put("waitingRequests", waiting.size());
        return status;
    }

    @Override
    public void close() {
        synchronized (this) {
            closing = true;
        }
        super.close();
        synchronized (this) {
            idle.forEach(ServerConnection::close);
            idle.clear();
            waiting.forEach(HttpConnectorExchange::refuse);
            waiting.clear();
        }
    }
}
