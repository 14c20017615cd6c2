package io.camelvan.router.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;
import org.apache.qpid.protonj2.buffer.netty.Netty4ProtonBufferAllocator;
import org.apache.qpid.protonj2.buffer.netty.Netty4ToProtonBufferAdapter;
import org.apache.qpid.protonj2.codec.DecodeException;
import org.apache.qpid.protonj2.types.messaging.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The streaming reader gets the same message whatever way its bytes are cut into chunks. */
class StreamingMessageReaderTest {

    private static final ProtonBufferAllocator ALLOC = ProtonBufferAllocator.defaultAllocator();

    /** A message as an adaptor writes it: properties, application properties, three data sections. */
    private static byte[] message(byte[]... bodies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProtonBuffer head = new AmqpMessage(new Properties().setSubject("tcp").setMessageId("flow-1"),
            Map.of("van.flow.site", "west"), null).encode();
        // drop the null amqp-value body AmqpMessage wrote: 0x00 0x53 0x77 0x40
        byte[] bytes = new byte[head.getReadableBytes() - 4];
        head.readBytes(bytes, 0, bytes.length);
        out.writeBytes(bytes);
        for (byte[] body : bodies) {
            ProtonBuffer header = DataSections.header(ALLOC, body.length);
            byte[] h = new byte[header.getReadableBytes()];
            header.readBytes(h, 0, h.length);
            out.writeBytes(h);
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    /** Keeps the body's pieces until the end, as a socket that cannot write yet does, and reads them only then. */
    private static final class Collector implements StreamingMessageReader.Listener {
        Properties properties;
        Map<String, Object> applicationProperties;
        final List<ByteBuf> pieces = new ArrayList<>();
        final List<String> order = new ArrayList<>();

        @Override
        public void head(Properties properties, Map<String, Object> applicationProperties) {
            this.properties = properties;
            this.applicationProperties = Map.copyOf(applicationProperties);
            order.add("head");
        }

        @Override
        public void data(ByteBuf bytes) {
            pieces.add(bytes);
            if (order.isEmpty() || !order.get(order.size() - 1).equals("data")) {
                order.add("data");
            }
        }

        /** The body's bytes, read from the pieces kept, which are released. */
        byte[] data() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (ByteBuf piece : pieces) {
                byte[] b = new byte[piece.readableBytes()];
                piece.readBytes(b);
                out.writeBytes(b);
                piece.release();
            }
            pieces.clear();
            return out.toByteArray();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64, 1000, 100_000})
    void anyChunkingGivesTheSameMessage(int chunkSize) {
        Random random = new Random(chunkSize);
        byte[] a = new byte[300];
        byte[] b = new byte[70_000];
        byte[] c = new byte[0];
        random.nextBytes(a);
        random.nextBytes(b);
        byte[] wire = message(a, b, c);
        Collector collector = new Collector();
        StreamingMessageReader reader = new StreamingMessageReader(collector);
        for (int i = 0; i < wire.length; i += chunkSize) {
            int n = Math.min(chunkSize, wire.length - i);
            reader.feed(ALLOC.copy(wire, i, n));
        }
        reader.end();
        assertThat(collector.order).containsExactly("head", "data");
        assertThat(collector.properties.getSubject()).isEqualTo("tcp");
        assertThat(collector.applicationProperties).containsEntry("van.flow.site", "west");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(a);
        expected.writeBytes(b);
        assertThat(collector.data()).isEqualTo(expected.toByteArray());
    }

    /** As an application in the router's JVM sends them: heap buffers with room to spare after the bytes written. */
    @ParameterizedTest
    @ValueSource(ints = {7, 1000, 100_000})
    void heapChunksWithSpareRoomGiveOnlyTheirBytes(int chunkSize) {
        byte[] a = new byte[300];
        new Random(chunkSize).nextBytes(a);
        byte[] wire = message(a);
        Collector collector = new Collector();
        StreamingMessageReader reader = new StreamingMessageReader(collector);
        for (int i = 0; i < wire.length; i += chunkSize) {
            int n = Math.min(chunkSize, wire.length - i);
            reader.feed(ALLOC.allocate(2 * n + 16).writeBytes(wire, i, n));
        }
        reader.end();
        assertThat(collector.data()).isEqualTo(a);
    }

    /** As the router gets them: chunks made of several Netty buffers, so a section may begin at a part's boundary. */
    @ParameterizedTest
    @ValueSource(ints = {1, 5, 300, 4096})
    void chunksOfNettyBuffersGiveTheSameMessage(int partSize) {
        Random random = new Random(partSize);
        byte[] a = new byte[300];
        byte[] b = new byte[70_000];
        random.nextBytes(a);
        random.nextBytes(b);
        byte[] wire = message(a, b, new byte[0], a);
        Collector collector = new Collector();
        StreamingMessageReader reader = new StreamingMessageReader(collector);
        Netty4ProtonBufferAllocator netty = new Netty4ProtonBufferAllocator(PooledByteBufAllocator.DEFAULT);
        List<ProtonBuffer> parts = new ArrayList<>();
        for (int i = 0; i < wire.length; i += partSize) {
            ByteBuf part = PooledByteBufAllocator.DEFAULT.directBuffer(partSize);
            part.writeBytes(wire, i, Math.min(partSize, wire.length - i));
            parts.add(new Netty4ToProtonBufferAdapter(netty, part));
            if (parts.size() == 3) {
                reader.feed(ALLOC.composite(parts.toArray(ProtonBuffer[]::new)));
                parts.clear();
            }
        }
        if (!parts.isEmpty()) {
            reader.feed(ALLOC.composite(parts.toArray(ProtonBuffer[]::new)));
        }
        reader.end();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(a);
        expected.writeBytes(b);
        expected.writeBytes(a);
        assertThat(collector.data()).isEqualTo(expected.toByteArray());
    }

    /** Body bytes are slices of the chunks they came in, and what a reader holds goes back when it is closed. */
    @Test
    void bodyBytesShareTheChunksMemoryAndNothingIsHeldAfterClose() {
        byte[] wire = message(new byte[1000], new byte[1000]);
        Netty4ProtonBufferAllocator netty = new Netty4ProtonBufferAllocator(PooledByteBufAllocator.DEFAULT);
        ByteBuf whole = PooledByteBufAllocator.DEFAULT.directBuffer(wire.length);
        whole.writeBytes(wire);
        int header = DataSections.header(ALLOC, 1000).getReadableBytes();
        int cut = wire.length - 1000 - 3; // within the second data section's header
        List<ByteBuf> slices = new ArrayList<>();
        StreamingMessageReader reader = new StreamingMessageReader(new StreamingMessageReader.Listener() {
            @Override
            public void head(Properties properties, Map<String, Object> applicationProperties) {
            }

            @Override
            public void data(ByteBuf bytes) {
                slices.add(bytes);
            }
        });
        reader.feed(new Netty4ToProtonBufferAdapter(netty, whole.retainedSlice(0, cut)));
        assertThat(slices).hasSize(1);
        assertThat(slices.get(0).readableBytes()).isEqualTo(1000);
        assertThat(slices.get(0).memoryAddress()).isEqualTo(whole.memoryAddress() + wire.length - 2000 - header);
        slices.forEach(ByteBuf::release);
        assertThat(whole.refCnt()).as("the cut header's bytes are held").isEqualTo(2);
        reader.close();
        assertThat(whole.refCnt()).isEqualTo(1);
        whole.release();
    }

    @Test
    void aMessageCutShortOrNotAmqpIsAnError() {
        byte[] wire = message(new byte[100]);
        StreamingMessageReader reader = new StreamingMessageReader(new Collector());
        reader.feed(ALLOC.copy(wire, 0, wire.length - 10));
        assertThatThrownBy(reader::end).isInstanceOf(DecodeException.class).hasMessageContaining("middle of a section");

        StreamingMessageReader garbage = new StreamingMessageReader(new Collector());
        assertThatThrownBy(() -> garbage.feed(ALLOC.copy("GET / HTTP/1.1".getBytes())))
            .isInstanceOf(DecodeException.class);
    }

    @Test
    void theHeadIsToldOnceTheApplicationPropertiesAreInBeforeAnyBody() {
        // a TCP flow to a server that speaks first: its request has no body bytes for a while
        byte[] wire = message();
        Collector collector = new Collector();
        new StreamingMessageReader(collector).feed(ALLOC.copy(wire, 0, wire.length));
        assertThat(collector.order).containsExactly("head");
        assertThat(collector.properties.getMessageId()).isEqualTo("flow-1");
    }
}
