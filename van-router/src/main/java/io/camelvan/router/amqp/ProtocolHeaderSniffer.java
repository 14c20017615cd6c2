package io.camelvan.router.amqp;

import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.core.RouterMetrics;
import io.camelvan.router.pki.PeerCheckHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * Looks at the first eight bytes of a new connection. A SASL or plain AMQP header gets an
 * {@link AmqpConnection} with or without SASL; anything else is answered with the header we speak
 * and closed, as the AMQP spec asks, with a log line saying what arrived instead.
 */
public final class ProtocolHeaderSniffer extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(ProtocolHeaderSniffer.class);
    private static final byte[] SASL_HEADER = {'A', 'M', 'Q', 'P', 3, 1, 0, 0};
    private static final byte[] AMQP_HEADER = {'A', 'M', 'Q', 'P', 0, 1, 0, 0};
    private static final long HEADER_TIMEOUT_SECONDS = 10;

    private static final byte[] POST = {'P', 'O', 'S', 'T', ' '};

    /** What serves an HTTP request on a router port (the grant endpoint of token redeem). */
    @FunctionalInterface
    public interface HttpService {
        void install(ChannelPipeline pipeline);
    }

    private final Function<Boolean, AmqpConnection> connections;
    private final boolean saslOptional;
    private final boolean peerCertificateRequired;
    private final HttpService grants;
    private final RouterMetrics metrics;
    private ScheduledFuture<?> timeout;

    /**
     * @param connections makes the connection handler, told whether the client chose SASL
     * @param saslOptional whether a client may skip SASL (ANONYMOUS is allowed)
     * @param peerCertificateRequired AMQP only with a verified client certificate (inter-router and
     *        edge listeners); a client without one may only redeem a token through {@code grants}
     * @param grants the grant endpoint, or null where there is none
     */
    public ProtocolHeaderSniffer(Function<Boolean, AmqpConnection> connections, boolean saslOptional,
            boolean peerCertificateRequired, HttpService grants, RouterMetrics metrics) {
        this.connections = connections;
        this.saslOptional = saslOptional;
        this.peerCertificateRequired = peerCertificateRequired;
        this.grants = grants;
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> {
            refuse(ctx, "no AMQP header within " + HEADER_TIMEOUT_SECONDS + " s");
        }, HEADER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        timeout.cancel(false);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        if (peerCertificateRequired && ctx.channel().attr(PeerCheckHandler.PEER_CERTIFICATE).get() == null) {
            withoutCertificate(ctx, in);
            return;
        }
        for (int i = 0; i < Math.min(4, in.readableBytes()); i++) {
            if (in.getByte(start + i) != SASL_HEADER[i]) {
                refuse(ctx, describe(in));
                return;
            }
        }
        if (in.readableBytes() < SASL_HEADER.length) {
            return;
        }
        boolean sasl = ByteBufUtil.equals(in, start, Unpooled.wrappedBuffer(SASL_HEADER), 0, 8);
        boolean plain = ByteBufUtil.equals(in, start, Unpooled.wrappedBuffer(AMQP_HEADER), 0, 8);
        if (sasl || (plain && saslOptional)) {
            // the engine reads the header itself: hand over every byte, unread
            ctx.pipeline().replace(this, "amqp", connections.apply(sasl));
        } else if (plain) {
            refuse(ctx, "the listener requires SASL authentication but the client skipped it");
        } else {
            refuse(ctx, "unsupported AMQP protocol header " + ByteBufUtil.hexDump(in, start, 8));
        }
    }

    /** A client with no certificate on a router port: it may redeem a token, nothing else. */
    private void withoutCertificate(ChannelHandlerContext ctx, ByteBuf in) {
        int n = Math.min(POST.length, in.readableBytes());
        boolean post = ByteBufUtil.equals(in, in.readerIndex(), Unpooled.wrappedBuffer(POST), 0, n);
        if (post && n < POST.length) {
            return;
        }
        if (post && grants != null) {
            grants.install(ctx.pipeline());
            ctx.pipeline().remove(this); // the request's bytes go on to the endpoint from here
            return;
        }
        refuse(ctx, "no client certificate: routers link only with a certificate from this site"
            + " (redeem a token from it, or create a link from a link file)");
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            // the one place a refused TLS peer is reported: who, and the reason the check gave
            if (rootCause(handshake.cause()) instanceof ClosedChannelException) {
                LOG.debug("connection from {} closed during the TLS handshake", ctx.channel().remoteAddress());
            } else {
                metrics.connectionsRefused.increment();
                metrics.tlsFailures.increment();
                String reason = rootMessage(handshake.cause());
                LOG.info("refused TLS connection from {}: {}{}", ctx.channel().remoteAddress(), reason, peerDistrustHint(reason));
            }
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (rootCause(cause) instanceof NotSslRecordException) {
            metrics.connectionsRefused.increment();
            LOG.info("refused connection from {}: not TLS (plain text sent to a TLS listener)", ctx.channel().remoteAddress());
        } else if (!(rootCause(cause) instanceof SSLException)) {
            LOG.info("connection from {} failed before AMQP began: {}", ctx.channel().remoteAddress(), rootMessage(cause));
        }
        ctx.close();
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /**
     * The peer's alert says it refused our certificate; the JDK's text names only the alert, so
     * say what usually causes it between routers.
     */
    private static String peerDistrustHint(String reason) {
        return reason.contains("certificate_unknown") || reason.contains("unknown_ca") || reason.contains("bad_certificate")
            ? " (the peer did not accept this router's certificate: it may not trust this site's CA, for instance"
                + " a link file made before `ca rotate`)"
            : "";
    }

    private static String rootMessage(Throwable t) {
        Throwable root = rootCause(t);
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        if (!ctx.channel().isActive()) {
            return;
        }
        metrics.connectionsRefused.increment();
        LOG.info("refused connection from {}: {}", ctx.channel().remoteAddress(), reason);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(saslOptional ? AMQP_HEADER : SASL_HEADER))
            .addListener(ChannelFutureListener.CLOSE);
        ctx.channel().config().setAutoRead(false);
    }

    private static String describe(ByteBuf in) {
        if (in.getByte(in.readerIndex()) == 0x16) {
            return "the client started a TLS handshake but this listener has no TLS profile";
        }
        int n = Math.min(8, in.readableBytes());
        return "not AMQP (first bytes: " + ByteBufUtil.hexDump(in, in.readerIndex(), n) + ")";
    }
}
