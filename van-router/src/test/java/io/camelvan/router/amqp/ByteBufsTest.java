package io.camelvan.router.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;
import org.apache.qpid.protonj2.buffer.netty.Netty4ProtonBufferAllocator;
import org.junit.jupiter.api.Test;

import io.netty.buffer.PooledByteBufAllocator;

/** Appending chunks of either kind to the Netty-backed buffer a link sends from. */
class ByteBufsTest {

    private final Netty4ProtonBufferAllocator netty = new Netty4ProtonBufferAllocator(PooledByteBufAllocator.DEFAULT);

    @Test
    void appendsHeapAndNettyChunksInOrderAndConsumesThem() {
        // a heap buffer with room to spare: protonj2 1.1.0 reports its readable region up to its capacity
        ProtonBuffer heap = ProtonBufferAllocator.defaultAllocator().allocate(64);
        heap.writeBytes(bytes("head-")).advanceReadOffset(1);
        ProtonBuffer network = netty.allocate(16).writeBytes(bytes("body"));
        try (ProtonBuffer batch = netty.allocate(8)) {
            batch.ensureWritable(heap.getReadableBytes());
            ByteBufs.append(batch, heap);
            batch.ensureWritable(network.getReadableBytes());
            ByteBufs.append(batch, network);

            byte[] sent = new byte[batch.getReadableBytes()];
            batch.copyInto(batch.getReadOffset(), sent, 0, sent.length);
            assertThat(new String(sent, StandardCharsets.US_ASCII)).isEqualTo("ead-body");
            assertThat(heap.getReadableBytes()).isZero();
            assertThat(network.getReadableBytes()).isZero();
        } finally {
            heap.close();
            network.close();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
