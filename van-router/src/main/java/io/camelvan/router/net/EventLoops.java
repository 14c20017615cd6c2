package io.camelvan.router.net;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The router's threads: one acceptor and one event loop per core (or as configured). Native epoll
 * when the platform has it, NIO otherwise.
 */
public final class EventLoops implements AutoCloseable {

    private final boolean epoll = Epoll.isAvailable();
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;

    public EventLoops(String routerId, int threads) {
        ThreadFactory acceptors = new DefaultThreadFactory("van-" + routerId + "-accept", true);
        ThreadFactory loops = new DefaultThreadFactory("van-" + routerId + "-io", true);
        acceptor = epoll ? new EpollEventLoopGroup(1, acceptors) : new NioEventLoopGroup(1, acceptors);
        workers = epoll ? new EpollEventLoopGroup(threads, loops) : new NioEventLoopGroup(threads, loops);
    }

    public EventLoopGroup acceptor() {
        return acceptor;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    public Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> clientChannel() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    @Override
    public void close() {
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
