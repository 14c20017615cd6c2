package io.camelvan.router.adaptor;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.config.ServiceConfig;
import io.camelvan.router.core.Address;
import io.camelvan.router.core.RouterCore;
import io.camelvan.router.net.ConnectionLimit;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;

/**
 * What TCP and HTTP listeners share: a bound port whose connections carry work to a routing key,
 * the routing key's entry (whose reachability is logged as it changes), ids for the flows and
 * requests it sends, and the work under way, which ends when the listener closes.
 */
public abstract class ServiceListener implements Adaptor, Address.ReachabilityListener {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceListener.class);

    private final ServiceConfig config;
    private final AdaptorContext context;
    private final Address address;
    private final ConnectionLimit limit;
    private final Set<ActiveWork> active = ConcurrentHashMap.newKeySet();
    private final AtomicLong counter = new AtomicLong();
    /** What waits for the routing key to be reachable or the router to have joined its network. */
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private Channel server;

    /** @param maxConnections connections open at once, past which {@link #refuse} turns them away; 0 for no limit */
    protected ServiceListener(ServiceConfig config, int maxConnections, AdaptorContext context) {
        this.config = config;
        this.context = context;
        this.limit = new ConnectionLimit(config.type().managementType() + " '" + config.name() + "'", maxConnections,
            context.core());
        this.address = context.core().addresses().acquire(config.routingKey());
    }

    /**
     * Binds the port; call last in the subclass's constructor.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    protected final void bind() {
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(context.loops().acceptor(), context.loops().workers())
            .channel(context.loops().serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, Sockets.WATER_MARK)
            .childOption(ChannelOption.RCVBUF_ALLOCATOR, Sockets.READ_SIZES)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    if (limit.admit(ch)) {
                        accepted(ch);
                    } else {
                        refuse(ch);
                    }
                }
            });
        try {
            server = bootstrap.bind(config.host(), config.port()).syncUninterruptibly().channel();
        } catch (Exception e) {
            context.core().addresses().release(address);
            throw new IllegalStateException(config.type().managementType() + " '" + config.name() + "' cannot listen on "
                + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        address.addListener(this);
        context.core().join().whenJoined(this::resumeWaiting);
        LOG.info("[{}] {} '{}' on {}:{} for routing key '{}'{}", routerId(), config.type().managementType(),
            config.name(), config.host(), port(), config.routingKey(),
            address.isReachable() ? "" : " (no consumer of the key is reachable yet)");
    }

    /** Sets up the pipeline of an accepted connection. */
    protected abstract void accepted(SocketChannel channel);

    /** Ends, the way the protocol says, a connection accepted past the listener's {@code maxConnections}. */
    protected abstract void refuse(SocketChannel channel);

    @Override
    public ServiceConfig config() {
        return config;
    }

    public AdaptorContext context() {
        return context;
    }

    public RouterCore core() {
        return context.core();
    }

    /** The bound port: the configured one, or the one the system chose for port 0. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Whether some consumer of the routing key can be reached now, here or on another router. */
    public boolean isReachable() {
        return address.isReachable();
    }

    /**
     * Runs {@code then} once a consumer of the routing key is reachable or the router has joined its
     * network, whichever comes first: at once when either is so already. Until the router has joined,
     * a key that seems to have no consumer may just not be known here yet.
     */
    public void whenServable(Runnable then) {
        if (isServable()) {
            then.run();
            return;
        }
        waiting.add(then);
        if (isServable()) {
            resumeWaiting(); // it changed before then was queued
        }
    }

    /** Whether work for the key can be sent or refused now: a consumer is reachable, or the router has joined. */
    public boolean isServable() {
        return isReachable() || core().join().isJoined();
    }

    private void resumeWaiting() {
        Runnable next;
        while ((next = waiting.poll()) != null) {
            next.run();
        }
    }

    /** A new id, unique in the network, for a flow or request this listener sends. */
    public String nextId() {
        return routerId() + "/" + config.name() + "/" + counter.incrementAndGet();
    }

    public void started(ActiveWork work) {
        active.add(work);
    }

    public void ended(ActiveWork work) {
        active.remove(work);
    }

    private String routerId() {
        return context.core().routerId();
    }

    @Override
    public void reachabilityChanged(Address changed, boolean reachable) {
        if (reachable) {
            resumeWaiting();
        }
        LOG.info("[{}] {} '{}': routing key '{}' is {}", routerId(), config.type().managementType(), config.name(),
            config.routingKey(), reachable ? "reachable" : "unreachable: no consumer anywhere in the network");
    }

    /** The attributes every listener shows; subclasses add their own figures. */
    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("name", config.name());
        status.put("routingKey", config.routingKey());
        status.put("host", config.host());
        status.put("port", port());
        status.put("reachable", address.isReachable());
        status.put("active", active.size());
        status.put("heldWhileJoining", waiting.size());
        return status;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        address.removeListener(this);
        resumeWaiting();
        active.forEach(ActiveWork::abort);
        context.core().addresses().release(address);
        LOG.info("[{}] {} '{}' closed", routerId(), config.type().managementType(), config.name());
    }
}
