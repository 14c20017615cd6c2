package io.camelvan.router.adaptor.tcp;

import io.camelvan.router.adaptor.AdaptorContext;
import io.camelvan.router.adaptor.ServiceConsumer;
import io.camelvan.router.config.TcpConnectorConfig;
import io.camelvan.router.core.RoutedDelivery;

/**
 * A {@code tcpConnectors} entry: a consumer of the routing key; each flow it is given opens a
 * connection to the server ({@link TcpConnectorFlow}) on one of the router's event loops.
 */
public final class TcpConnector extends ServiceConsumer {

    public TcpConnector(TcpConnectorConfig config, AdaptorContext context) {
        super(config, context);
        register();
    }

    @Override
    protected void accept(RoutedDelivery delivery) {
        new TcpConnectorFlow(this, delivery, context().loops().workers().next()).start();
    }
}
