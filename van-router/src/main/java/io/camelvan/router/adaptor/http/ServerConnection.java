package io.camelvan.router.adaptor.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.adaptor.ReadGate;
import io.camelvan.router.config.HttpListenerConfig;
import io.camelvan.router.core.RoutedDelivery;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.ReferenceCountUtil;

/**
 * One keep-alive connection of an {@link HttpConnector} to its server, carrying one request at a
 * time ({@link HttpConnectorExchange}) and going back to the connector's pool between requests.
 * Everything about it happens on its event loop, including the exchanges it carries.
 */
final class ServerConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ServerConnection.class);

    private final HttpConnector connector;
    private final EventLoop loop;
    private Channel channel;
    private ReadGate gate;
    private HttpConnectorExchange exchange;
    private boolean connected;
    private boolean closed;
    /**
     * The request the connection was opened for has not begun yet. Its task may run after
     * {@link #channelActive} when the event loop is busy, and the connection must not go idle
     * meanwhile: a second request taking it would overwrite the first, which would never be answered.
     */
    private boolean firstPending = true;
    /** Exchanges this connection finished: past the first, the server may close it just as we reuse it. */
    private int finished;

    ServerConnection(HttpConnector connector, EventLoop loop) {
        this.connector = connector;
        this.loop = loop;
    }

    /** Opens the connection, and meanwhile begins reading the request it is for. */
    void connect(RoutedDelivery first) {
        ChannelFuture connecting = open();
        loop.execute(() -> {
            firstPending = false;
            if (closed) {
                HttpConnectorExchange.refuse(first); // refused before the request was looked at
            } else {
                begin(first);
            }
        });
        whenRefused(connecting);
    }

    /** Opens the connection for a request that has begun on another one. On the event loop. */
    void connectFor(HttpConnectorExchange moved) {
        firstPending = false;
        exchange = moved;
        whenRefused(open());
    }

    private ChannelFuture open() {
        ChannelFuture connecting = connector.bootstrap(loop, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("http", new HttpClientCodec(new HttpDecoderConfig()
                    .setMaxInitialLineLength(HttpListener.MAX_INITIAL_LINE)
                    .setMaxHeaderSize((int) HttpListenerConfig.DEFAULT_MAX_HEADER_SIZE)
                    .setMaxChunkSize(HttpListener.MAX_CHUNK), false, false));
                ch.pipeline().addLast("exchanges", ServerConnection.this);
            }
        }).connect(connector.config().host(), connector.config().port());
        channel = connecting.channel();
        gate = new ReadGate(channel);
        return connecting;
    }

    private void whenRefused(ChannelFuture connecting) {
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                refused(f.cause());
            }
        });
    }

    /** Carries a request: on the connection's event loop, since all of the exchange runs there. */
    void take(RoutedDelivery delivery) {
        loop.execute(() -> {
            if (closed) {
                connector.accept(delivery); // gone while idle: the request gets another connection
            } else {
                begin(delivery);
            }
        });
    }

    private void begin(RoutedDelivery delivery) {
        exchange = new HttpConnectorExchange(connector, this, delivery);
        exchange.start();
    }

    Channel channel() {
        return channel;
    }

    ReadGate gate() {
        return gate;
    }

    EventLoop loop() {
        return loop;
    }

    boolean isConnected() {
        return connected && !closed;
    }

    /** The exchange is over; the connection takes the next request, or closes when it cannot be reused. */
    void released(HttpConnectorExchange done, boolean reusable) {
        if (exchange != done) {
            return;
        }
        exchange = null;
        finished++;
        if (!reusable || closed) {
            close();
        } else if (connected) {
            connector.idle(this);
        } // else it goes idle once connected
    }

    void close() {
        channel.close();
    }

    /** True once the connection served a request before the one on it now (it came from the pool). */
    boolean wasReused() {
        return finished > 0;
    }

    /** Ends the connection with a reset: the request on it failed half-way. */
    void reset() {
        io.camelvan.router.adaptor.Sockets.reset(channel);
    }

    private void refused(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        connector.closed(this);
        connector.serverRefused(cause);
        if (exchange != null) {
            exchange.refused(cause);
        }
    }

    // ----- events of the server connection

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connected = true;
        connector.connected();
        if (exchange != null) {
            exchange.connected();
        } else if (!firstPending) {
            connector.idle(this);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (exchange != null) {
            exchange.response(msg);
        } else {
            ReferenceCountUtil.release(msg); // nothing was asked: the connection is not to be trusted any more
            close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.readComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null && channel.isWritable()) {
            exchange.outputDrained();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            close(); // the server ended its side: after what the codec has made of it, nothing more comes
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("[{}] {}: connection to the server failed: {}", connector.core().routerId(), connector, cause.toString());
        close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!closed) {
            closed = true;
            connector.closed(this);
        }
        if (exchange != null) {
            exchange.serverClosed();
        }
    }
}
