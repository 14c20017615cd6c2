package io.camelvan.router.net;

import java.net.InetSocketAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.amqp.AmqpConnection;
import io.camelvan.router.amqp.ConnectionSettings;
import io.camelvan.router.amqp.PeerConnector;
import io.camelvan.router.amqp.ProtocolHeaderSniffer;
import io.camelvan.router.amqp.SaslAuthenticator;
import io.camelvan.router.config.ListenerConfig;
import io.camelvan.router.core.RouterCore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;

/** One {@code listeners:} entry bound to its port: every accepted socket becomes an {@link AmqpConnection}. */
public final class AmqpListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AmqpListener.class);
    /** Per-connection output buffered before a sender stops streaming to it. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final ListenerConfig config;
    private final Channel channel;

    /**
     * @param tls how accepted channels get TLS, or null for plain TCP
     * @param grants the grant endpoint, served to certificate-less clients of peer listeners; or null
     */
    public AmqpListener(ListenerConfig config, RouterCore core, SaslAuthenticator authenticator, SiteTls.ServerTls tls,
            PeerConnector peers, ProtocolHeaderSniffer.HttpService grants, EventLoops loops) {
        ConnectionSettings settings = ConnectionSettings.accepted(config);
        ConnectionLimit limit = new ConnectionLimit("listener '" + config.name() + "'", config.maxConnections(), core);
        this.config = config;
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(loops.acceptor(), loops.workers())
            .channel(loops.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    if (!limit.admit(ch)) {
                        ch.close();
                        return;
                    }
                    if (tls != null) {
                        tls.install(ch, core.metrics());
                    }
                    ch.pipeline().addLast("sniffer", new ProtocolHeaderSniffer(
                        sasl -> new AmqpConnection(core, settings, sasl ? authenticator.serverSetup() : null, peers),
                        authenticator.allowsNoSasl(), settings.isPeer(), grants, core.metrics()));
                }
            });
        try {
            this.channel = bootstrap.bind(config.host(), config.port()).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IllegalStateException("listener '" + config.name() + "' cannot listen on "
                + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        LOG.info("[{}] listener '{}' ({}) on {}:{}{}", core.routerId(), config.name(), config.role().yamlName(),
            config.host(), port(), tls != null ? " with TLS" : "");
    }

    public String name() {
        return config.name();
    }

    /** The bound port: the configured one, or the one the system chose for port 0. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
