package io.camelvan.router.adaptor.tcp;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.adaptor.Adaptor;
import io.camelvan.router.adaptor.AdaptorContext;
import io.camelvan.router.adaptor.Sockets;
import io.camelvan.router.config.TcpListenerConfig;
import io.camelvan.router.core.Address;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;

/**
 * A {@code tcpListeners} entry: a local port whose every connection becomes a flow to the routing
 * key ({@link TcpListenerFlow}). It takes connections only while some connector of the key can be
 * reached somewhere in the network; otherwise each is reset as soon as it is accepted.
 */
public final class TcpListener implements Adaptor, Address.ReachabilityListener {

    private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);

    private final TcpListenerConfig config;
    private final AdaptorContext context;
    private final Address address;
    private final Channel server;
    private final Set<TcpListenerFlow> flows = ConcurrentHashMap.newKeySet();
    private final AtomicLong flowCounter = new AtomicLong();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();

    /** Binds the port. @throws IllegalStateException when it cannot */
    public TcpListener(TcpListenerConfig config, AdaptorContext context) {
        this.config = config;
        this.context = context;
        this.address = context.core().addresses().acquire(config.routingKey());
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(context.loops().acceptor(), context.loops().workers())
            .channel(context.loops().serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, Sockets.WATER_MARK)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new TcpListenerFlow(TcpListener.this));
                }
            });
        try {
            this.server = bootstrap.bind(config.host(), config.port()).syncUninterruptibly().channel();
        } catch (Exception e) {
            context.core().addresses().release(address);
            throw new IllegalStateException("tcpListener '" + config.name() + "' cannot listen on "
                + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        address.addListener(this);
        LOG.info("[{}] tcpListener '{}' on {}:{} for routing key '{}'{}", context.core().routerId(), config.name(),
            config.host(), port(), config.routingKey(), address.isReachable() ? "" : " (no connector reachable yet: refusing connections)");
    }

    @Override
    public TcpListenerConfig config() {
        return config;
    }

    /** The bound port: the configured one, or the one the system chose for port 0. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    AdaptorContext context() {
        return context;
    }

    /** Whether a new connection can be taken now: some connector of the key is reachable. */
    boolean admit() {
        if (address.isReachable()) {
            accepted.increment();
            return true;
        }
        refused.increment();
        LOG.debug("[{}] tcpListener '{}' refused a connection: no connector for '{}' is reachable",
            context.core().routerId(), config.name(), config.routingKey());
        return false;
    }

    String nextFlowId() {
        return context.core().routerId() + "/" + config.name() + "/" + flowCounter.incrementAndGet();
    }

    void opened(TcpListenerFlow flow) {
        flows.add(flow);
    }

    void closed(TcpListenerFlow flow) {
        flows.remove(flow);
    }

    @Override
    public void reachabilityChanged(Address changed, boolean reachable) {
        LOG.info("[{}] tcpListener '{}': routing key '{}' is {}", context.core().routerId(), config.name(),
            config.routingKey(), reachable ? "reachable: accepting connections" : "unreachable: refusing connections");
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("name", config.name());
        status.put("routingKey", config.routingKey());
        status.put("host", config.host());
        status.put("port", port());
        status.put("reachable", address.isReachable());
        status.put("activeFlows", flows.size());
        status.put("flowsAccepted", accepted.sum());
        status.put("connectionsRefused", refused.sum());
        return status;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        address.removeListener(this);
        flows.forEach(TcpListenerFlow::abort);
        context.core().addresses().release(address);
        LOG.info("[{}] tcpListener '{}' closed", context.core().routerId(), config.name());
    }
}
