package io.camelvan.router.adaptor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.apache.qpid.protonj2.types.messaging.Released;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.config.ServiceConfig;
import io.camelvan.router.core.Address;
import io.camelvan.router.core.Consumer;
import io.camelvan.router.core.RoutedDelivery;
import io.camelvan.router.core.RouterCore;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;

/**
 * What TCP and HTTP connectors share: a consumer of the routing key (so the key is reachable from
 * every router of the network while it exists), balanced by the work it has under way; raw TCP
 * connections to its server; and a pause when the server refuses: the connector stops consuming
 * the key for a few seconds so that new work goes to other connectors meanwhile.
 */
public abstract class ServiceConsumer implements Adaptor, Consumer {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceConsumer.class);
    /** How long a connector whose server refused stays out of the balancing. */
    public static final long WITHDRAW_MS = 3000;
    private static final int CONNECT_TIMEOUT_MS = 5000;

    private final ServiceConfig config;
    private final AdaptorContext context;
    private final Address address;
    private final Bootstrap bootstrap;
    private final Set<ActiveWork> active = ConcurrentHashMap.newKeySet();
    private final LongAdder connections = new LongAdder();
    private final LongAdder refusals = new LongAdder();
    /** Whether the server took the last connection made to it; null before the first. */
    private volatile Boolean serverReachable;
    private boolean withdrawn;
    private boolean closed;

    protected ServiceConsumer(ServiceConfig config, AdaptorContext context) {
        this.config = config;
        this.context = context;
        this.bootstrap = new Bootstrap()
            .channel(context.loops().clientChannel())
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, Sockets.WATER_MARK)
            .option(ChannelOption.RCVBUF_ALLOCATOR, Sockets.READ_SIZES);
        this.address = context.core().addresses().acquire(config.routingKey());
    }

    /** Starts consuming the routing key; call last in the subclass's constructor. */
    protected final void register() {
        address.addConsumer(this);
        LOG.info("[{}] {} '{}' serves routing key '{}' from {}:{}", context.core().routerId(), config.type().managementType(),
            config.name(), config.routingKey(), config.host(), config.port());
    }

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

    /** A bootstrap for a connection to the server on {@code loop}, whose events go to {@code handler}. */
    public Bootstrap bootstrap(EventLoop loop, ChannelHandler handler) {
        return bootstrap.clone(loop).handler(handler);
    }

    // ----- Consumer

    @Override
    public final void deliver(RoutedDelivery delivery) {
        synchronized (this) {
            if (!closed) {
                accept(delivery);
                return;
            }
        }
        delivery.stream().closeReader();
        delivery.finish(Released.getInstance());
    }

    /** Takes a delivery of the routing key; calls {@link #started} for the work it makes of it. */
    protected abstract void accept(RoutedDelivery delivery);

    public void started(ActiveWork work) {
        active.add(work);
    }

    public void ended(ActiveWork work) {
        active.remove(work);
    }

    public void connected() {
        connections.increment();
        serverReachable = true;
    }

    /** The server refused a connection: stay out of the balancing for a while. */
    public synchronized void serverRefused(Throwable cause) {
        refusals.increment();
        serverReachable = false;
        if (withdrawn || closed) {
            return;
        }
        withdrawn = true;
        address.removeConsumer(this);
        LOG.info("[{}] {} '{}' cannot reach {}:{} ({}): taking no work for '{}' for {} ms", context.core().routerId(),
            config.type().managementType(), config.name(), config.host(), config.port(), cause.getMessage(),
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
        return active.size();
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

    /** The attributes every connector shows; subclasses add their own figures. */
    @Override
    public synchronized Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("name", config.name());
        status.put("routingKey", config.routingKey());
        status.put("host", config.host());
        status.put("port", config.port());
        status.put("reachable", serverReachable);
        status.put("active", active.size());
        status.put("connectionsOpened", connections.sum());
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
        active.forEach(ActiveWork::abort);
        context.core().addresses().release(address);
        LOG.info("[{}] {} '{}' closed", context.core().routerId(), config.type().managementType(), config.name());
    }

    @Override
    public String toString() {
        return config.type().managementType() + " '" + config.name() + "'";
    }
}
