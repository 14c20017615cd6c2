package io.camelvan.router.adaptor.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.adaptor.ReadGate;
import io.camelvan.router.adaptor.tcp.TcpListenerFlow;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

/**
 * One client connection of an {@link HttpListener}. Requests are read one after the other, each
 * sent on as soon as it arrives ({@link HttpListenerExchange}), and their responses are written
 * back in the order of the requests, whatever order they come back in: a response waits, in its
 * own bounded stream, until the ones before it are written (pipelining). An {@code Upgrade}
 * request turns the rest of the connection into a TCP flow. While the connection owes no response,
 * the next request's head must arrive within the listener's {@code headerTimeout}, so that a client
 * sending its headers a byte at a time (slowloris), or sending nothing, cannot hold the connection
 * for ever. A connection that arrives while the router is still joining its network and knows no
 * server of the key is not read until it does, or has joined. On the connection's event loop.
 */
final class HttpListenerConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HttpListenerConnection.class);
    /** Requests waiting for their responses before the connection is read no further. */
    static final int MAX_PIPELINED = 16;

    private final HttpListener listener;
    private final ArrayDeque<HttpListenerExchange> pending = new ArrayDeque<>();
    private Channel channel;
    private ReadGate gate;
    private HttpListenerExchange reading;
    /** No further request is read: the last one said Connection: close, or could not be read. */
    private boolean lastRequestRead;
    private List<ByteBuf> upgrade;
    /** Closes the connection unless a request head arrives in time; armed only while no request is under way. */
    private ScheduledFuture<?> headTimer;

    HttpListenerConnection(HttpListener listener) {
        this.listener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        gate = new ReadGate(channel);
        // a router that has just started may not know its key's servers yet: rather than answer
        // 503, its first connections are not read (nor timed) until it does, or until it has joined
        if (listener.isServable()) {
            awaitNextHead();
            return;
        }
        gate.hold(ReadGate.Reason.JOINING);
        listener.whenServable(() -> channel.eventLoop().execute(() -> {
            gate.release(ReadGate.Reason.JOINING);
            awaitNextHead();
        }));
    }

    HttpListener listener() {
        return listener;
    }

    Channel channel() {
        return channel;
    }

    ReadGate gate() {
        return gate;
    }

    boolean isHead(HttpListenerExchange exchange) {
        return pending.peek() == exchange;
    }

    // ----- requests

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (upgrade != null) {
            // bytes after an Upgrade request belong to the new protocol: they begin the flow
            if (msg instanceof ByteBuf bytes) {
                upgrade.add(bytes);
            } else {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (lastRequestRead) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            cancelHeadTimer();
            if (request.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                refuseUnreadable(request.decoderResult().cause());
                return;
            }
            if (request.protocolVersion().minorVersion() == 1 && !request.headers().contains(HttpHeaderNames.HOST)) {
                ReferenceCountUtil.release(msg);
                refuseUnreadable(new IllegalArgumentException("an HTTP/1.1 request needs a Host header"));
                return;
            }
            if (isTunnelledUpgrade(request)) {
                ReferenceCountUtil.release(msg);
                beginUpgrade(ctx, request);
                return;
            }
            listener.requestTaken();
            reading = new HttpListenerExchange(this, request);
            pending.add(reading);
            if (pending.size() >= MAX_PIPELINED) {
                gate.hold(ReadGate.Reason.PIPELINE);
            }
            reading.start();
        }
        if (msg instanceof HttpContent content) {
            if (content.decoderResult().isFailure()) {
                content.release();
                refuseUnreadable(content.decoderResult().cause());
            } else if (reading == null) {
                content.release();
            } else {
                HttpListenerExchange exchange = reading;
                boolean last = content instanceof LastHttpContent;
                if (last) {
                    reading = null;
                }
                exchange.body(content.content(), last);
                if (last) {
                    awaitNextHead();   // in case its response was written before the body ended
                }
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (reading != null) {
            reading.readComplete();
        }
        ctx.flush();
    }

    /**
     * A request that is not HTTP/1.1 as it should be, after the responses owed before it, then close:
     * 431 for a head over {@code maxHeaderSize}, 414 for a request line over 8 KiB, else 400.
     */
    private void refuseUnreadable(Throwable cause) {
        LOG.debug("[{}] httpListener '{}': malformed request from {}: {}", listener.core().routerId(),
            listener.config().name(), channel.remoteAddress(), cause == null ? "?" : cause.getMessage());
        if (cause instanceof TooLongHttpHeaderException) {
            refuse(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "the request's headers are larger than "
                + listener.maxHeaderSize() + " bytes");
        } else if (cause instanceof TooLongHttpLineException) {
            refuse(HttpResponseStatus.REQUEST_URI_TOO_LONG, "the request line is longer than "
                + HttpListener.MAX_INITIAL_LINE + " bytes");
        } else {
            refuse(HttpResponseStatus.BAD_REQUEST,
                "malformed request: " + (cause == null ? "not HTTP/1.1" : cause.getMessage()));
        }
    }

    /** Answers the listener's own refusal, after the responses owed before it, and reads no more. */
    private void refuse(HttpResponseStatus status, String text) {
        if (reading != null) {
            reading.abandonRequest();
            reading = null;
        }
        HttpListenerExchange refusal = HttpListenerExchange.refusal(this, status, text);
        pending.add(refusal);
        noMoreRequests();
        refusal.start();
    }

    // ----- the head timeout (slowloris)

    /** Arms the timer when the connection owes nothing and reads no request: the next head is due. */
    private void awaitNextHead() {
        long timeout = listener.headerTimeout().toMillis();
        if (timeout > 0 && headTimer == null && pending.isEmpty() && reading == null && !lastRequestRead
                && upgrade == null) {
            headTimer = channel.eventLoop().schedule(this::headTimedOut, timeout, TimeUnit.MILLISECONDS);
        }
    }

    private void cancelHeadTimer() {
        if (headTimer != null) {
            headTimer.cancel(false);
            headTimer = null;
        }
    }

    private void headTimedOut() {
        headTimer = null;
        if (!channel.isActive() || lastRequestRead) {
            return;
        }
        listener.headerTimedOut();
        LOG.debug("[{}] httpListener '{}': no request head from {} within {} ms; closing", listener.core().routerId(),
            listener.config().name(), channel.remoteAddress(), listener.headerTimeout().toMillis());
        refuse(HttpResponseStatus.REQUEST_TIMEOUT,
            "no complete request head within " + listener.headerTimeout().toMillis() + " ms");
    }

    /** Reads no further request from this connection (the current one's body was its last). */
    void noMoreRequests() {
        lastRequestRead = true;
        reading = null;
        gate.hold(ReadGate.Reason.DONE);
    }

    // ----- responses, in the order of the requests

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        HttpListenerExchange head = pending.peek();
        if (head != null && channel.isWritable()) {
            head.outputDrained();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** The head of the pipeline has written its response; the next one may write its own. */
    void responded(HttpListenerExchange exchange, boolean close) {
        if (pending.peek() != exchange) {
            return;
        }
        pending.poll();
        if (close) {
            noMoreRequests();
            abortPending();
            channel.close();
            return;
        }
        if (pending.size() < MAX_PIPELINED) {
            gate.release(ReadGate.Reason.PIPELINE);
        }
        HttpListenerExchange next = pending.peek();
        if (next != null) {
            next.becameHead();
        } else if (upgrade != null) {
            startUpgradedFlow();
        } else if (lastRequestRead) {
            channel.close();
        } else {
            awaitNextHead();
        }
    }

    // ----- Upgrade: the rest of the connection is a TCP flow, beginning with the request as received

    private void beginUpgrade(ChannelHandlerContext ctx, HttpRequest request) {
        upgrade = new ArrayList<>();
        upgrade.add(encodeHead(request));
        lastRequestRead = true;
        gate.hold(ReadGate.Reason.DONE);
        // removing the codec hands us whatever raw bytes it had read past the request's head
        ctx.pipeline().remove("http");
        if (pending.isEmpty()) {
            // later: the codec still hands us the end of the request it decoded with the head
            channel.eventLoop().execute(this::startUpgradedFlow);
        }
    }

    /**
     * An upgrade the rest of the connection is carried for as a TCP flow. An offer of HTTP/2 over
     * cleartext ({@code h2c}, which the JDK's HttpClient makes on every first request) is declined
     * instead, as RFC 9113 lets a server do: the request is served as HTTP/1.1, per request, like any
     * other (its {@code Upgrade} and {@code HTTP2-Settings} headers are hop-by-hop and not carried).
     */
    private static boolean isTunnelledUpgrade(HttpRequest request) {
        String upgrade = request.headers().get(HttpHeaderNames.UPGRADE);
        return upgrade != null && !upgrade.trim().equalsIgnoreCase("h2c");
    }

    private ByteBuf encodeHead(HttpRequest request) {
        StringBuilder head = new StringBuilder(256);
        head.append(request.method().name()).append(' ').append(request.uri()).append(' ')
            .append(request.protocolVersion().text()).append("\r\n");
        for (Map.Entry<String, String> header : request.headers()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        head.append("\r\n");
        return channel.alloc().buffer(head.length()).writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private void startUpgradedFlow() {
        cancelHeadTimer();
        TcpListenerFlow flow = new TcpListenerFlow(listener);
        List<ByteBuf> first = upgrade;
        upgrade = List.of();
        channel.pipeline().addLast("flow", flow);
        channel.pipeline().remove(this);
        gate.release(ReadGate.Reason.DONE);
        gate.release(ReadGate.Reason.PIPELINE);
        flow.upgrade(channel, first);
    }

    // ----- the end

    /**
     * The client has closed its side (listener sockets allow half-closure, for flows): no request
     * can follow, so the connection closes once the responses it is owed are written, at once if
     * none. A request whose body was cut short is abandoned.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent && upgrade == null) {
            cancelHeadTimer();
            if (reading != null) {
                reading.abandonRequest();
            }
            noMoreRequests();
            if (pending.isEmpty()) {
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("[{}] httpListener '{}': connection from {} failed: {}", listener.core().routerId(),
            listener.config().name(), channel.remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelHeadTimer();
        abortPending();
        if (upgrade != null) {
            upgrade.forEach(ByteBuf::release);
            upgrade = List.of();
        }
        ctx.fireChannelInactive();
    }

    private void abortPending() {
        HttpListenerExchange exchange;
        while ((exchange = pending.poll()) != null) {
            exchange.connectionLost();
        }
        reading = null;
    }
}
