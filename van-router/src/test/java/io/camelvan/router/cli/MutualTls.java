package io.camelvan.router.cli;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.camelvan.router.pki.TlsContexts;
import io.camelvan.router.pki.TlsCredentials;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/** A real mutual-TLS handshake over loopback between a router's listener profile and a link's profile. */
final class MutualTls {

    private MutualTls() {
    }

    /**
     * Connects a client with {@code link} to a server with {@code listener} (client certificate required).
     *
     * @return the client certificate as the server verified it
     * @throws ExecutionException when either side refuses the handshake
     */
    static X509Certificate handshake(TlsCredentials listener, TlsCredentials link) throws Exception {
        EventLoopGroup group = new NioEventLoopGroup(1);
        CompletableFuture<X509Certificate> seenByServer = new CompletableFuture<>();
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(listener.serverContext(true).newHandler(channel.alloc()));
                            channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                                    if (event instanceof SslHandshakeCompletionEvent done) {
                                        if (done.isSuccess()) {
                                            seenByServer.complete(TlsContexts.peerCertificate(
                                                    ctx.pipeline().get(SslHandler.class).engine().getSession()).orElseThrow());
                                        } else {
                                            seenByServer.completeExceptionally(done.cause());
                                        }
                                    }
                                }

                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    ctx.close();
                                }
                            });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(link.clientContext().newHandler(channel.alloc(), "127.0.0.1", port));
                            channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    ctx.close();
                                }
                            });
                        }
                    }).connect("127.0.0.1", port).sync().channel();
            client.pipeline().get(SslHandler.class).handshakeFuture().await(10, TimeUnit.SECONDS);
            X509Certificate peer = seenByServer.get(10, TimeUnit.SECONDS);
            client.close().sync();
            server.close().sync();
            return peer;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
