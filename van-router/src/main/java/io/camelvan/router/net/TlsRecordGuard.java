package io.camelvan.router.net;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.core.RouterMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Sits in front of the {@code SslHandler} of a TLS listener and closes at once, with a log line,
 * a connection whose first byte is not a TLS handshake record. Without it, a plain AMQP header
 * looks enough like an SSLv2 record that the handshake would just hang until its timeout.
 */
final class TlsRecordGuard extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(TlsRecordGuard.class);
    private static final byte HANDSHAKE = 0x16;

    private final RouterMetrics metrics;

    TlsRecordGuard(RouterMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.getByte(in.readerIndex()) == HANDSHAKE) {
            ctx.pipeline().remove(this);
            return;
        }
        metrics.connectionsRefused.increment();
        String start = ByteBufUtil.hexDump(in, in.readerIndex(), Math.min(8, in.readableBytes()));
        LOG.info("refused connection from {}: not TLS ({} sent to a TLS listener; first bytes {})",
            ctx.channel().remoteAddress(), start.startsWith("414d5150") ? "plain AMQP" : "plain text", start);
        in.skipBytes(in.readableBytes());
        ctx.close();
    }
}
