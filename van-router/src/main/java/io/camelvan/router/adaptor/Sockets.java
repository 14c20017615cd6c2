package io.camelvan.router.adaptor;

import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DuplexChannel;

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
}
