package io.camelvan.router.amqp;

import java.nio.ByteBuffer;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.ProtonBufferComponent;
import org.apache.qpid.protonj2.buffer.ProtonBufferComponentAccessor;
import org.apache.qpid.protonj2.buffer.netty.Netty4ToProtonBufferAdapter;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/** Hands the bytes of a delivery to a socket without copying them where Netty memory lies underneath. */
public final class ByteBufs {

    private ByteBufs() {
    }

    /**
     * The bytes of {@code buffer} as a ByteBuf; ownership passes to the caller and the ProtonBuffer
     * is closed. Netty-backed parts are shared (retained), anything else is copied.
     */
    public static ByteBuf toByteBuf(ProtonBuffer buffer) {
        if (buffer instanceof Netty4ToProtonBufferAdapter netty) {
            return netty.unwrapAndRelease();
        }
        try (buffer; ProtonBufferComponentAccessor parts = buffer.componentAccessor()) {
            CompositeByteBuf out = Unpooled.compositeBuffer(Math.max(2, buffer.componentCount()));
            // walked by hand: protonj2's readableComponents() iterator reports no elements at all
            for (ProtonBufferComponent part = parts.firstReadable(); part != null; part = parts.nextReadable()) {
                ByteBuf bytes = part.unwrap() instanceof ByteBuf netty
                    ? netty.retainedSlice()
                    : Unpooled.copiedBuffer(readable(part));
                out.addComponent(true, bytes);
            }
            return out;
        }
    }

    /**
     * Appends the readable bytes of {@code from} to {@code to} (which must have room) and consumes
     * them. protonj2 1.1.0 copies a heap buffer into a Netty-backed one a byte at a time, each
     * access checked by Netty; here a heap buffer's bytes go over in bulk.
     */
    public static void append(ProtonBuffer to, ProtonBuffer from) {
        if (from instanceof Netty4ToProtonBufferAdapter || !(to instanceof Netty4ToProtonBufferAdapter)) {
            to.writeBytes(from);
            return;
        }
        int length = from.getReadableBytes();
        try (ProtonBufferComponentAccessor parts = from.componentAccessor()) {
            for (ProtonBufferComponent part = parts.firstReadable(); part != null; part = parts.nextReadable()) {
                to.writeBytes(readable(part));
            }
        }
        from.advanceReadOffset(length);
    }

    /**
     * A part's readable bytes. protonj2 1.1.0's heap buffer reports its readable region up to its
     * capacity rather than its write offset, so the view is cut to the readable length here.
     */
    private static ByteBuffer readable(ProtonBufferComponent part) {
        ByteBuffer view = part.getReadableBuffer();
        return view.limit(view.position() + part.getReadableBytes());
    }
}
