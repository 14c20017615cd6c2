package io.camelvan.router.net;

import java.security.Principal;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.amqp.AmqpConnection;
import io.camelvan.router.amqp.ConnectionSettings;
import io.camelvan.router.amqp.PeerConnector;
import io.camelvan.router.amqp.PeerInfo;
import io.camelvan.router.amqp.SaslExternalClient;
import io.camelvan.router.config.LinkConfig;
import io.camelvan.router.config.ListenerRole;
import io.camelvan.router.config.RouterMode;
import io.camelvan.router.core.RouterCore;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;

/**
 * One {@code links:} entry: keeps a mutual-TLS connection to another router up, dialling again
 * after a failure or a drop with exponential backoff (capped, with jitter so that many routers
 * losing the same peer do not all come back at once).
 */
public final class LinkDialer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LinkDialer.class);
    static final long FIRST_RETRY_MS = 200;
    static final long MAX_RETRY_MS = 5000;
    /** A connection that lasted this long resets the backoff. */
    private static final long STABLE_MS = 10_000;

    private final LinkConfig link;
    private final RouterCore core;
    private final Bootstrap bootstrap;
    private long retryMs = FIRST_RETRY_MS;
    private volatile boolean stopped;
    private volatile Channel channel;
    private int failures;

    public LinkDialer(LinkConfig link, RouterCore core, SiteTls tls, PeerConnector peers, EventLoops loops) {
        this.link = link;
        this.core = core;
        ListenerRole role = core.mode() == RouterMode.EDGE ? ListenerRole.EDGE : ListenerRole.INTER_ROUTER;
        ConnectionSettings settings = ConnectionSettings.dialled(link, role);
        SiteTls.ClientTls clientTls = tls.client(link.tls());
        this.bootstrap = new Bootstrap()
            .group(loops.workers())
            .channel(loops.clientChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, AmqpListener.WATER_MARK)
            .handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    Principal subject = clientTls.install(ch, link.host(), link.port());
                    ch.pipeline().addLast("amqp", new AmqpConnection(core, settings, SaslExternalClient.setup(subject), peers));
                }
            });
    }

    public String name() {
        return link.name();
    }

    public LinkConfig config() {
        return link;
    }

    /** True while the connection is up (TLS and AMQP open are not checked: see the mesh for that). */
    public boolean isConnected() {
        Channel c = channel;
        return c != null && c.isActive();
    }

    /** The router at the other end while the link is up (TLS and AMQP open done), else null. */
    public PeerInfo peer() {
        Channel c = channel;
        AmqpConnection connection = c == null || !c.isActive() ? null : c.pipeline().get(AmqpConnection.class);
        return connection == null ? null : connection.peerInfo();
    }

    public void start() {
        dial();
    }

    private void dial() {
        if (stopped) {
            return;
        }
        ChannelFuture connecting = bootstrap.connect(link.host(), link.port());
        channel = connecting.channel();
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                failures++;
                if (failures == 1 || failures % 20 == 0) {
                    LOG.warn("[{}] link '{}' cannot reach {}:{}: {} (retrying every {} ms at most)", core.routerId(),
                        link.name(), link.host(), link.port(), f.cause().getMessage(), MAX_RETRY_MS);
                }
                retryLater();
                return;
            }
            long connectedAt = System.currentTimeMillis();
            connecting.channel().closeFuture().addListener(c -> {
                if (System.currentTimeMillis() - connectedAt > STABLE_MS) {
                    retryMs = FIRST_RETRY_MS;
                    failures = 0;
                }
                if (!stopped) {
                    LOG.info("[{}] link '{}' to {}:{} is down; reconnecting", core.routerId(), link.name(),
                        link.host(), link.port());
                }
                retryLater();
            });
        });
    }

    private void retryLater() {
        if (stopped) {
            return;
        }
        long delay = (long) (retryMs * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
        bootstrap.config().group().schedule(this::dial, delay, TimeUnit.MILLISECONDS);
    }

    /** Stops dialling and closes the connection, if any. */
    @Override
    public void close() {
        stopped = true;
        Channel c = channel;
        if (c != null) {
            c.close().syncUninterruptibly();
        }
    }
}
