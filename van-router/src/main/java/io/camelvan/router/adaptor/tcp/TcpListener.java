package io.camelvan.router.adaptor.tcp;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.adaptor.AdaptorContext;
import io.camelvan.router.adaptor.ServiceListener;
import io.camelvan.router.adaptor.Sockets;
import io.camelvan.router.config.TcpListenerConfig;
import io.netty.channel.socket.SocketChannel;

/**
 * A {@code tcpListeners} entry: a local port whose every connection becomes a flow to the routing
 * key ({@link TcpListenerFlow}). It takes connections only while some connector of the key can be
 * reached somewhere in the network; otherwise each is reset as soon as it is accepted.
 */
public final class TcpListener extends ServiceListener {

    private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);

    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();

    /** Binds the port. @throws IllegalStateException when it cannot */
    public TcpListener(TcpListenerConfig config, AdaptorContext context) {
        super(config, config.maxConnections(), context);
        bind();
    }

    @Override
    protected void accepted(SocketChannel channel) {
        if (!isReachable()) {
            refused.increment();
            LOG.debug("[{}] tcpListener '{}' refused a connection: no connector for '{}' is reachable",
                core().routerId(), config().name(), config().routingKey());
            Sockets.reset(channel);
            return;
        }
        accepted.increment();
        channel.pipeline().addLast(new TcpListenerFlow(this));
    }

    @Override
    protected void refuse(SocketChannel channel) {
        refused.increment();
        Sockets.reset(channel);
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = super.status();
        status.put("flowsAccepted", accepted.sum());
        status.put("connectionsRefused", refused.sum());
        status.put("maxConnections", ((TcpListenerConfig) config()).maxConnections());
        return status;
    }
}
