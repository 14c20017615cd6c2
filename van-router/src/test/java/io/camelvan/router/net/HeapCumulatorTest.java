package io.camelvan.router.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;

class HeapCumulatorTest {

    private final PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    @Test
    void directReadsAreGatheredInOrderIntoAHeapBufferAndReleased() {
        ByteBuf first = direct("tls ");
        ByteBuf second = direct("records");

        ByteBuf cumulation = HeapCumulator.INSTANCE.cumulate(alloc, Unpooled.EMPTY_BUFFER, first);
        cumulation.skipBytes(1); // the decoder has read a byte of it
        cumulation = HeapCumulator.INSTANCE.cumulate(alloc, cumulation, second);

        assertThat(cumulation.hasArray()).isTrue();
        assertThat(cumulation.toString(StandardCharsets.US_ASCII)).isEqualTo("ls records");
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
        cumulation.release();
    }

    private ByteBuf direct(String text) {
        return alloc.directBuffer().writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
