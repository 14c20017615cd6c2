package io.camelvan.router.adaptor.tcp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.apache.qpid.protonj2.types.messaging.Released;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.adaptor.Adaptor;
import io.camelvan.router.adaptor.AdaptorContext;
import io.camelvan.router.adaptor.Sockets;
import io.camelvan.router.config.TcpConnectorConfig;
import io.camelvan.router.core.Address;
import io.camelvan.router.core.Consumer;
import io.camelvan.router.core.RoutedDelivery;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;

/**
 * A {@code tcpConnectors} entry: a consumer of the routing key, so the key is reachable from every
 * router of the network while it exists. Each flow it is given opens a connection to the server
 * ({@link TcpConnectorFlow}). When the server refuses, the connector stops consuming the key for
 * a few seconds, so that flows go to other connectors meanwhile.
 */
public final class TcpConnector implements Adaptor, Consumer {

    private static final Logger LOG = LoggerFactory.getLogger(TcpConnector.class);
    /** How long a connector whose server refused stays out of the balancing. */
    static final long WITHDRAW_MS = 3000;
    private static final int CONNECT_TIMEOUT_MS = 5000;

    private final TcpConnectorConfig config;
    private final AdaptorContext context;
    private final Address address;
    private final Bootstrap bootstrap;
    private final Set<TcpConnectorFlow> flows = ConcurrentHashMap.newKeySet();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final LongAdder connected = new LongAdder();
    private final LongAdder refusals = new LongAdder();
    private boolean withdrawn;
    private boolean closed;

    public TcpConnector(TcpConnectorConfig config, AdaptorContext context) {
        this.config = config;
        this.context = context;
        this.bootstrap = new Bootstrap()
            .channel(context.loops().clientChannel())
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, Sockets.WATER_MARK);
        this.address = context.core().addresses().acquire(config.routingKey());
        address.addConsumer(this);
        LOG.info("[{}] tcpConnector '{}' serves routing key '{}' from {}:{}", context.core().routerId(), config.name(),
            config.routingKey(), config.host(), config.port());
    }

    @Override
    public TcpConnectorConfig config() {
        return config;
    }

    AdaptorContext context() {
        return context;
    }

    /** A bootstrap for one flow's connection on {@code loop}, whose events go to {@code handler}. */
    Bootstrap bootstrap(EventLoop loop, ChannelHandler handler) {
        return bootstrap.clone(loop).handler(handler);
    }

    // ----- Consumer

    @Override
    public void deliver(RoutedDelivery delivery) {
        if (closed) {
            delivery.stream().closeReader();
            delivery.finish(Released.getInstance());
            return;
        }
        outstanding.incrementAndGet();
        TcpConnectorFlow flow = new TcpConnectorFlow(this, delivery, context.loops().workers().next());
        flows.add(flow);
        flow.start();
    }

    void connected() {
        connected.increment();
    }

    void ended(TcpConnectorFlow flow) {
        if (flows.remove(flow)) {
            outstanding.decrementAndGet();
        }
    }

    /** The server refused a connection: stay out of the balancing for a while. */
    synchronized void serverRefused(Throwable cause) {
        refusals.increment();
        if (withdrawn || closed) {
            return;
        }
        withdrawn = true;
        address.removeConsumer(this);
        LOG.info("[{}] tcpConnector '{}' cannot reach {}:{} ({}): not taking flows for '{}' for {} ms",
            context.core().routerId(), config.name(), config.host(), config.port(), cause.getMessage(),
            config.routingKey(), WITHDRAW_MS);
        context.loops().workers().schedule(this::restore, WITHDRAW_MS, TimeUnit.MILLISECONDS);
    }

    private synchronized void restore() {
        if (withdrawn && !closed) {
            withdrawn = false;
            address.addConsumer(this);
        }
    }

    @Override
    public int outstanding() {
        return outstanding.get();
    }

    @Override
    public int cost() {
        return 0;
    }

    @Override
    public boolean hasCapacity() {
        return true;
    }

    // ----- Adaptor

    @Override
    public synchronized Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("name", config.name());
        status.put("routingKey", config.routingKey());
        status.put("host", config.host());
        status.put("port", config.port());
        status.put("activeFlows", flows.size());
        status.put("connectionsOpened", connected.sum());
        status.put("connectionsRefused", refusals.sum());
        status.put("withdrawn", withdrawn);
        return status;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (!withdrawn) {
                address.removeConsumer(this);
            }
        }
        flows.forEach(TcpConnectorFlow::abort);
        context.core().addresses().release(address);
        LOG.info("[{}] tcpConnector '{}' closed", context.core().routerId(), config.name());
    }

    @Override
    public String toString() {
        return "tcpConnector '" + config.name() + "'";
    }
}
