package io.camelvan.router.adaptor.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.camelvan.router.adaptor.AdaptorContext;
import io.camelvan.router.adaptor.ServiceListener;
import io.camelvan.router.adaptor.Sockets;
import io.camelvan.router.config.HttpListenerConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * An {@code httpListeners} entry: a local HTTP/1.1 port. Every request on its connections is one
 * message to the routing key, answered by whichever server of the key the router picks for it, so
 * consecutive requests of one connection may be served on different sites ({@link HttpListenerConnection}).
 */
public final class HttpListener extends ServiceListener {

    static final int MAX_INITIAL_LINE = 8192;
    static final int MAX_CHUNK = 64 * 1024;
    /** What a connection past {@code maxConnections} gets, written before any of its bytes are read. */
    private static final byte[] TOO_MANY_CONNECTIONS = ("HTTP/1.1 503 Service Unavailable\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 21\r\nConnection: close\r\n\r\n"
        + "too many connections\n").getBytes(StandardCharsets.US_ASCII);

    /** How long a refused connection is given to close after its 503 (its request is read and dropped meanwhile). */
    private static final long REFUSAL_LINGER_MS = 1000;

    private final HttpListenerConfig config;
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder headerTimeouts = new LongAdder();
    private final LongAdder refused = new LongAdder();

    /** Binds the port. @throws IllegalStateException when it cannot */
    public HttpListener(HttpListenerConfig config, AdaptorContext context) {
        super(config, config.maxConnections(), context);
        this.config = config;
        bind();
    }

    @Override
    protected void accepted(SocketChannel channel) {
        channel.pipeline().addLast("http", new HttpServerCodec(new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_INITIAL_LINE).setMaxHeaderSize(config.maxHeaderSize().intValue())
            .setMaxChunkSize(MAX_CHUNK)));
        channel.pipeline().addLast("requests", new HttpListenerConnection(this));
    }

    @Override
    protected void refuse(SocketChannel channel) {
        refused.increment();
        Sockets.answerAndClose(channel, Unpooled.wrappedBuffer(TOO_MANY_CONNECTIONS), REFUSAL_LINGER_MS);
    }

    /** Largest request body taken; 0 for no limit. */
    long maxRequestSize() {
        return config.maxRequestSize();
    }

    /** Largest request head taken. */
    long maxHeaderSize() {
        return config.maxHeaderSize();
    }

    /** How long a request head may take to arrive; zero for no limit. */
    Duration headerTimeout() {
        return config.headerTimeout();
    }

    void requestTaken() {
        requests.increment();
    }

    /** A request answered by the listener itself: 400, 408, 413, 414, 431, 502, 503. */
    void errorAnswered() {
        errors.increment();
    }

    void headerTimedOut() {
        headerTimeouts.increment();
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = super.status();
        status.put("maxRequestSize", config.maxRequestSize());
        status.put("maxHeaderSize", config.maxHeaderSize());
        status.put("headerTimeout", config.headerTimeout().toMillis() + "ms");
        status.put("maxConnections", config.maxConnections());
        status.put("requests", requests.sum());
        status.put("errorResponses", errors.sum());
        status.put("headerTimeouts", headerTimeouts.sum());
        status.put("connectionsRefused", refused.sum());
        return status;
    }
}
