package io.camelvan.router.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder.Cumulator;
import io.netty.handler.ssl.SslHandler;

/**
 * Gathers the TLS records an {@link SslHandler} reads into heap buffers instead of the direct
 * buffers the socket fills.
 * <p>
 * Why: the JDK decrypts a TLS 1.3 record in place, and its AES-GCM hashes a direct buffer through
 * {@code GHASH.processBlocksDirect}, which the JIT of JDK 17 leaves without the GHASH intrinsic
 * for a long time, so decrypting ran as plain Java (a quarter of a linked router's CPU in a
 * profile). On a heap buffer the same work takes the intrinsic at once; the copy costs far less.
 * The engine's output ({@code wrap}) is a heap buffer already.
 */
final class HeapCumulator implements Cumulator {

    static final HeapCumulator INSTANCE = new HeapCumulator();

    private HeapCumulator() {
    }

    /** Returns the handler, cumulating into heap buffers. */
    static SslHandler install(SslHandler handler) {
        handler.setCumulator(INSTANCE);
        return handler;
    }

    @Override
    public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        try {
            int required = in.readableBytes();
            if (cumulation.hasArray() && cumulation.refCnt() == 1 && !cumulation.isReadOnly()
                && required <= cumulation.maxFastWritableBytes()) {
                cumulation.writeBytes(in);
                return cumulation;
            }
            ByteBuf grown = alloc.heapBuffer(cumulation.readableBytes() + required);
            grown.writeBytes(cumulation).writeBytes(in);
            cumulation.release();
            return grown;
        } finally {
            in.release();
        }
    }
}
