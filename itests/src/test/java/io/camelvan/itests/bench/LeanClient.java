package io.camelvan.itests.bench;

import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The benchmark's own AMQP 1.0 client: protonj2 engines (the same engine the router uses) driven
 * by Netty, every connection on ONE event loop thread ({@code bench-lean-*}).
 *
 * <p>Why not protonj2-client: its blocking API hands every send and every accept to the
 * connection's I/O thread through a future, so it spends more CPU per message than the servers
 * it measures; on a two-core machine shared by client and server that caps both targets alike and
 * squeezes the ratio toward 1. This client does the same protocol work (unsettled transfers,
 * dispositions, credit) with no thread hand-off and one flush per burst of frames.
 */
public final class LeanClient implements AutoCloseable {

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;

    public LeanClient() {
        boolean epoll = Epoll.isAvailable();
        DefaultThreadFactory threads = new DefaultThreadFactory("bench-lean", true);
        group = epoll ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
        bootstrap = new Bootstrap().group(group)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    /** Connects and waits until the peer has answered the AMQP open (SASL ANONYMOUS first). */
    public LeanConnection connect(String host, int port) throws Exception {
        LeanConnection connection = new LeanConnection(host + ":" + port);
        bootstrap.clone().handler(connection).connect(host, port).sync();
        return connection.awaitOpen();
    }

    /** The one thread every connection of this client runs on. */
    EventLoop loop() {
        return group.next();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
