package io.camelvan.router.management;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.camelvan.router.pki.TlsCredentials;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;

/**
 * A TLS server on loopback that serves the grant endpoint as a router's inter-router listener does
 * for clients without a certificate: the site's server certificate, client certificates optional,
 * then {@link GrantEndpoint#install}. It listens at once, so that its port can go into the site's
 * configuration; what it serves is set with {@link #serve} before the first request.
 */
public final class TestGrantServer implements AutoCloseable {

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel listener;
    private volatile SslContext tls;
    private volatile GrantService service;

    public TestGrantServer() {
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(tls.newHandler(channel.alloc()));
                        GrantEndpoint.install(channel.pipeline(), service);
                    }
                }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    /** Serves {@code service} with the site's TLS profile (its server certificate and CA). */
    public TestGrantServer serve(TlsCredentials siteTls, GrantService grants) {
        this.tls = siteTls.serverContext(false);
        this.service = grants;
        return this;
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (group.isShuttingDown()) {
            return;
        }
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
