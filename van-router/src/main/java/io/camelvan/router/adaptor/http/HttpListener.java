package io.camelvan.router.adaptor.http;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.camelvan.router.adaptor.AdaptorContext;
import io.camelvan.router.adaptor.ServiceListener;
import io.camelvan.router.config.HttpListenerConfig;
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
    static final int MAX_HEADER_SIZE = 16 * 1024;
    static final int MAX_CHUNK = 64 * 1024;

    private final HttpListenerConfig config;
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();

    /** Binds the port. @throws IllegalStateException when it cannot */
    public HttpListener(HttpListenerConfig config, AdaptorContext context) {
        super(config, context);
        this.config = config;
        bind();
    }

    @Override
    protected void accepted(SocketChannel channel) {
        channel.pipeline().addLast("http", new HttpServerCodec(new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_INITIAL_LINE).setMaxHeaderSize(MAX_HEADER_SIZE).setMaxChunkSize(MAX_CHUNK)));
        channel.pipeline().addLast("requests", new HttpListenerConnection(this));
    }

    /** Largest request body taken; 0 for no limit. */
    long maxRequestSize() {
        return config.maxRequestSize();
    }

    void requestTaken() {
        requests.increment();
    }

    /** A request answered by the listener itself: 400, 413, 502, 503. */
    void errorAnswered() {
        errors.increment();
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = super.status();
        status.put("maxRequestSize", config.maxRequestSize());
        status.put("requests", requests.sum());
        status.put("errorResponses", errors.sum());
        return status;
    }
}
