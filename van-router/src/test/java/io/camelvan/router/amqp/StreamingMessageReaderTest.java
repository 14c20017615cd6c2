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

    private static final class Collector implements StreamingMessageReader.Listener {
        Properties properties;
        Map<String, Object> applicationProperties;
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final List<String> order = new ArrayList<>();

        @Override
        public void head(Properties properties, Map<String, Object> applicationProperties) {
            this.properties = properties;
            this.applicationProperties = Map.copyOf(applicationProperties);
            order.add("head");
        }

        @Override
        public void data(ProtonBuffer bytes) {
            try (bytes) {
                byte[] b = new byte[bytes.getReadableBytes()];
                bytes.readBytes(b, 0, b.length);
                data.writeBytes(b);
                if (order.isEmpty() || !order.get(order.size() - 1).equals("data")) {
                    order.add("data");
                }
            }
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
        assertThat(collector.data.toByteArray()).isEqualTo(expected.toByteArray());
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
        assertThat(collector.data.toByteArray()).isEqualTo(expected.toByteArray());
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
