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
