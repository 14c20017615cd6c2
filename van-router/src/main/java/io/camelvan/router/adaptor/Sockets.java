package io.camelvan.router.adaptor;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

/** How adaptors end the TCP connections they carry. */
public final class Sockets {

    /**
     * Output a socket may have queued before it counts as not writable: with the delivery's own
     * buffer, this bounds what one direction of a flow holds on its way out of the router.
     */
    public static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    /**
     * How much a socket read takes at most: 32 KiB, so that a chunk read, with its section framing,
     * travels in one transfer frame of the routers' 64 KiB frames rather than a full one and a scrap.
     */
    public static final AdaptiveRecvByteBufAllocator READ_SIZES = new AdaptiveRecvByteBufAllocator(64, 2048, 32 * 1024);

    private Sockets() {
    }

    /** Closes with a reset (RST), as a failed or refused connection is closed: the peer sees an error, not an end. */
    public static void reset(Channel channel) {
        if (channel.isOpen()) {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
            channel.close();
        }
    }

    /**
     * Sends FIN once everything written so far has gone out (shutting the output at once would
     * drop what is still queued), then runs {@code done} on the event loop.
     */
    public static void shutdownOutputAfterWrites(Channel channel, Runnable done) {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) written -> {
            if (written.isSuccess() && channel instanceof DuplexChannel duplex) {
                duplex.shutdownOutput().addListener(shut -> done.run());
            } else {
                done.run();
            }
        });
    }

    /**
     * Writes a last answer to a connection nothing has been read from, ends our side, and discards
     * what the peer still sends until it closes too, or {@code lingerMs} at most. Closing at once
     * would leave the peer's request unread, and a close with unread bytes is a reset, which may
     * reach the peer before the answer does.
     */
    public static void answerAndClose(Channel channel, ByteBuf answer, long lingerMs) {
        channel.pipeline().addLast("discard", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event instanceof ChannelInputShutdownEvent) {
                    ctx.close();
                }
                ReferenceCountUtil.release(event);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        });
        channel.write(answer);
        shutdownOutputAfterWrites(channel, () -> { });
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, lingerMs, TimeUnit.MILLISECONDS);
    }
}
