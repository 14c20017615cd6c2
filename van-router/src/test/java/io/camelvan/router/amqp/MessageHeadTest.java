package io.camelvan.router.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;
import org.apache.qpid.protonj2.codec.CodecFactory;
import org.apache.qpid.protonj2.codec.Decoder;
import org.apache.qpid.protonj2.codec.DecoderState;
import org.apache.qpid.protonj2.codec.Encoder;
import org.apache.qpid.protonj2.codec.EncoderState;
import org.apache.qpid.protonj2.types.Binary;
import org.apache.qpid.protonj2.types.Symbol;
import org.apache.qpid.protonj2.types.UnsignedLong;
import org.apache.qpid.protonj2.types.messaging.ApplicationProperties;
import org.apache.qpid.protonj2.types.messaging.Data;
import org.apache.qpid.protonj2.types.messaging.DeliveryAnnotations;
import org.apache.qpid.protonj2.types.messaging.Header;
import org.apache.qpid.protonj2.types.messaging.MessageAnnotations;
import org.apache.qpid.protonj2.types.messaging.Properties;
import org.junit.jupiter.api.Test;

import io.camelvan.router.core.VanAnnotations;

/** The head reader and rewriter, checked against what protonj2's own codec encodes and decodes. */
class MessageHeadTest {

    private static final ProtonBufferAllocator ALLOC = ProtonBufferAllocator.defaultAllocator();
    private static final VanAnnotations VAN = new VanAnnotations("orders", "west", List.of("west", "hub"), List.of("east"));

    @Test
    void findsTheAddressAndCarriesTheClientsAnnotationsOverAsTheyCame() {
        Map<Symbol, Object> own = new LinkedHashMap<>();
        own.put(Symbol.valueOf("x-opt-jms-msg-type"), (byte) 5);
        own.put(Symbol.valueOf("x-opt-nested"), Map.of("k", List.of(1, 2L, "three")));
        own.put(Symbol.valueOf("x-opt-long-text"), "é".repeat(300));
        ProtonBuffer head = encode(new Header().setDurable(true), new DeliveryAnnotations(Map.of(Symbol.valueOf("da"), 1)),
            new MessageAnnotations(own), properties("orders"), new ApplicationProperties(Map.of("a", "b")), body("hello"));

        MessageHead.Parsed parsed = MessageHead.get().parse(head, false);

        assertThat(parsed.to()).isEqualTo("orders");
        assertThat(parsed.van()).isNull();
        assertThat(parsed.annotations()).hasSize(3);
        List<Object> sections = decode(concat(MessageHead.get().rewrite(head, parsed, VAN)));
        assertThat(sections).hasSize(6);
        assertThat(sections.get(0)).isInstanceOf(Header.class);
        assertThat(sections.get(1)).isInstanceOf(DeliveryAnnotations.class);
        Map<Symbol, Object> annotations = ((MessageAnnotations) sections.get(2)).getValue();
        assertThat(annotations).containsAllEntriesOf(own)
            .containsEntry(Symbol.valueOf(VanAnnotations.TO), "orders")
            .containsEntry(Symbol.valueOf(VanAnnotations.INGRESS), "west")
            .containsEntry(Symbol.valueOf(VanAnnotations.TRACE), List.of("west", "hub"))
            .containsEntry(Symbol.valueOf(VanAnnotations.DESTS), List.of("east"));
        assertThat(((Properties) sections.get(3)).getTo()).isEqualTo("orders");
        assertThat(((ApplicationProperties) sections.get(4)).getValue()).containsEntry("a", "b");
        assertThat(text((Data) sections.get(5))).isEqualTo("hello");
    }

    @Test
    void readsTheRouterAnnotationsBackAndStripsThem() {
        ProtonBuffer annotated = concat(MessageHead.get().rewrite(encode(properties("orders"), body("x")),
            MessageHead.get().parse(encode(properties("orders"), body("x")), false), VAN));

        MessageHead.Parsed parsed = MessageHead.get().parse(annotated, false);
        assertThat(parsed.van()).isEqualTo(VAN);
        assertThat(parsed.annotations()).isEmpty();

        List<Object> stripped = decode(concat(MessageHead.get().rewrite(annotated, parsed, null)));
        assertThat(stripped).hasSize(2).first().isInstanceOf(Properties.class); // no empty annotations section left
        assertThat(text((Data) stripped.get(1))).isEqualTo("x");
    }

    @Test
    void acceptsATraceEncodedAsAnArrayOfSymbols() {
        Map<Symbol, Object> van = new LinkedHashMap<>();
        van.put(Symbol.valueOf(VanAnnotations.TO), "orders");
        van.put(Symbol.valueOf(VanAnnotations.TRACE), new Symbol[] {Symbol.valueOf("a"), Symbol.valueOf("b")});
        MessageHead.Parsed parsed = MessageHead.get().parse(encode(new MessageAnnotations(van), body("x")), false);
        assertThat(parsed.van()).isEqualTo(new VanAnnotations("orders", null, List.of("a", "b"), null));
        assertThat(parsed.to()).isNull();
    }

    @Test
    void aPropertiesListTooShortToHoldToHasNone() {
        Properties idOnly = new Properties().setMessageId("id-1");
        assertThat(MessageHead.get().parse(encode(idOnly, body("x")), false).to()).isNull();
    }

    @Test
    void understandsSymbolicSectionDescriptors() {
        ProtonBuffer head = ALLOC.allocate(64);
        byte[] descriptor = "amqp:properties:list".getBytes(StandardCharsets.US_ASCII);
        head.writeByte((byte) 0x00).writeByte((byte) 0xa3).writeByte((byte) descriptor.length).writeBytes(descriptor);
        head.writeByte((byte) 0xc0).writeByte((byte) 5).writeByte((byte) 3); // list8 of three: null, null, "q"
        head.writeByte((byte) 0x40).writeByte((byte) 0x40).writeByte((byte) 0xa1).writeByte((byte) 1).writeByte((byte) 'q');
        assertThat(MessageHead.get().parse(head, false).to()).isEqualTo("q");
    }

    @Test
    void theRouterAnnotationsItWritesAreWhatProtonj2Reads() {
        String longId = "router-" + "x".repeat(300);
        List<VanAnnotations> cases = List.of(VAN, new VanAnnotations("q", null, List.of(), null),
            new VanAnnotations(longId, longId, List.of(longId, "b", "c"), List.of(longId)),
            new VanAnnotations("é-address", "west", List.of("west"), List.of()));
        for (VanAnnotations van : cases) {
            ProtonBuffer plain = encode(properties("orders"), body("x"));
            List<Object> sections = decode(concat(MessageHead.get().rewrite(plain, MessageHead.get().parse(plain, false), van)));
            Map<Symbol, Object> expected = new LinkedHashMap<>();
            expected.put(Symbol.valueOf(VanAnnotations.TO), van.to());
            if (van.ingress() != null) {
                expected.put(Symbol.valueOf(VanAnnotations.INGRESS), van.ingress());
            }
            expected.put(Symbol.valueOf(VanAnnotations.TRACE), van.trace());
            if (van.dests() != null) {
                expected.put(Symbol.valueOf(VanAnnotations.DESTS), van.dests());
            }
            assertThat(((MessageAnnotations) sections.get(0)).getValue()).isEqualTo(expected);
            assertThat(((Properties) sections.get(1)).getTo()).isEqualTo("orders");
            assertThat(text((Data) sections.get(2))).isEqualTo("x");
        }
    }

    @Test
    void readsRouterAnnotationsAsProtonj2EncodesThem() {
        Map<Symbol, Object> van = new LinkedHashMap<>();
        van.put(Symbol.valueOf(VanAnnotations.TO), "orders");
        van.put(Symbol.valueOf(VanAnnotations.INGRESS), "west");
        van.put(Symbol.valueOf(VanAnnotations.TRACE), List.of("west", "hub"));
        van.put(Symbol.valueOf(VanAnnotations.DESTS), List.of("east"));
        van.put(Symbol.valueOf("x-opt-van.later-version"), Map.of("k", 1));
        Header header = new Header().setDurable(true);
        ProtonBuffer head = encode(header, new MessageAnnotations(van),
            new Properties().setMessageId(new Binary(new byte[40])).setUserId(new Binary(new byte[3])).setTo("a"),
            body("x"));
        int start = encode(header).getReadableBytes();
        int end = start + encode(new MessageAnnotations(van)).getReadableBytes();
        MessageHead.Parsed expected = new MessageHead.Parsed(start, end, Map.of(), VAN, "a");
        assertThat(MessageHead.get().parse(head, false)).isEqualTo(expected);
        byte[] bytes = new byte[head.getReadableBytes()];
        head.copyInto(head.getReadOffset(), bytes, 0, bytes.length);
        assertThat(HeadScanner.parse(bytes, bytes.length)).as("read without protonj2's decoder").isEqualTo(expected);
    }

    @Test
    void aHeadCutShortIsReadOnceItIsWholeAndNeverMisread() {
        ProtonBuffer plain = encode(properties("orders"), new ApplicationProperties(Map.of("a", "b")), body("hello"));
        ProtonBuffer annotated = concat(MessageHead.get().rewrite(plain, MessageHead.get().parse(plain, false), VAN));
        MessageHead.Parsed whole = MessageHead.get().parse(annotated, false);
        for (int length = 0; length < annotated.getReadableBytes(); length++) {
            ProtonBuffer part = ALLOC.allocate(length);
            annotated.copyInto(annotated.getReadOffset(), part, 0, length);
            part.advanceWriteOffset(length);
            MessageHead.Parsed parsed = MessageHead.get().parse(part, true);
            if (parsed != null) {
                assertThat(parsed.van()).as("from %d bytes", length).isEqualTo(whole.van());
                assertThat(parsed.to()).as("from %d bytes", length).isEqualTo(whole.to());
            }
        }
    }

    @Test
    void theScannerLeavesWhatItDoesNotKnowToTheDecoder() {
        java.util.Random random = new java.util.Random(42);
        ProtonBuffer plain = encode(properties("orders"), body("hello"));
        ProtonBuffer annotated = concat(MessageHead.get().rewrite(plain, MessageHead.get().parse(plain, false), VAN));
        byte[] good = new byte[annotated.getReadableBytes()];
        annotated.copyInto(annotated.getReadOffset(), good, 0, good.length);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = good.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            MessageHead.Parsed parsed = HeadScanner.parse(bytes, bytes.length);
            if (parsed != null) {
                assertThat(parsed.annotationsStart()).isBetween(0, bytes.length);
                assertThat(parsed.annotationsEnd()).isBetween(parsed.annotationsStart(), bytes.length);
            }
        }
        assertThat(HeadScanner.parse(good, good.length)).isEqualTo(MessageHead.get().parse(annotated, false));
    }

    private static Properties properties(String to) {
        return new Properties().setMessageId(UnsignedLong.valueOf(7)).setTo(to).setSubject("s");
    }

    private static Data body(String text) {
        return new Data(new Binary(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Data data) {
        return new String(data.getBinary().asByteArray(), StandardCharsets.UTF_8);
    }

    private static ProtonBuffer encode(Object... sections) {
        Encoder encoder = CodecFactory.getDefaultEncoder();
        EncoderState state = encoder.newEncoderState();
        ProtonBuffer buffer = ALLOC.allocate(1024);
        for (Object section : sections) {
            encoder.writeObject(buffer, state, section);
        }
        return buffer;
    }

    private static ProtonBuffer concat(ProtonBuffer[] parts) {
        ProtonBuffer all = ALLOC.allocate(1024);
        for (ProtonBuffer part : parts) {
            all.writeBytes(part);
        }
        return all;
    }

    private static List<Object> decode(ProtonBuffer bytes) {
        Decoder decoder = CodecFactory.getDefaultDecoder();
        DecoderState state = decoder.newDecoderState();
        List<Object> sections = new ArrayList<>();
        while (bytes.isReadable()) {
            sections.add(decoder.readObject(bytes, state));
        }
        return sections;
    }
}
