package io.camelvan.router.management;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.config.AdminConfig;
import io.camelvan.router.core.RouterCore;
import io.camelvan.router.net.EventLoops;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The admin HTTP port: {@code /healthz}, {@code /metrics}, the read-only JSON API under
 * {@code /api/} and the network console at {@code /}. On loopback unless configured otherwise;
 * with a token configured, everything that shows data wants {@code Authorization: Bearer TOKEN}.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final Channel channel;

    public AdminServer(AdminConfig config, RouterCore core, EventLoops loops, PrometheusMetrics metrics,
            ManagementEndpoint management) {
        String routerId = core.routerId();
        String token = config.resolvedToken();
        byte[] tokenBytes = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        AdminRequests requests = new AdminRequests(routerId, core.join(), metrics, management,
            presented -> tokenBytes == null || (presented != null
                && MessageDigest.isEqual(tokenBytes, presented.getBytes(StandardCharsets.UTF_8))));
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(loops.acceptor(), loops.workers())
            .channel(loops.serverChannel())
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024), requests);
                }
            });
        try {
            channel = bootstrap.bind(config.host(), config.port()).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IllegalStateException("admin port cannot listen on " + config.host() + ":" + config.port()
                + ": " + e.getMessage(), e);
        }
        LOG.info("[{}] admin HTTP on http://{}:{}/ (console; /healthz, /readyz, /metrics, /api/){}", routerId, config.host(),
            port(), token == null ? "" : ", token required");
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
