package io.camelvan.router.amqp;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;
import org.apache.qpid.protonj2.codec.CodecFactory;
import org.apache.qpid.protonj2.codec.DecodeException;
import org.apache.qpid.protonj2.codec.Decoder;
import org.apache.qpid.protonj2.codec.DecoderState;
import org.apache.qpid.protonj2.codec.Encoder;
import org.apache.qpid.protonj2.codec.EncoderState;
import org.apache.qpid.protonj2.types.Binary;
import org.apache.qpid.protonj2.types.messaging.AmqpValue;
import org.apache.qpid.protonj2.types.messaging.ApplicationProperties;
import org.apache.qpid.protonj2.types.messaging.Data;
import org.apache.qpid.protonj2.types.messaging.Properties;

/**
 * A whole, small AMQP message as the router itself sends and receives them (management requests
 * and replies): properties, application properties and one body section. Not for client traffic,
 * which the router never decodes.
 *
 * @param body an {@link AmqpValue}'s value, or a byte[] for a data section, or null
 */
public record AmqpMessage(Properties properties, Map<String, Object> applicationProperties, Object body) {

    private static final ThreadLocal<Codec> CODEC = ThreadLocal.withInitial(Codec::new);

    public AmqpMessage {
        properties = properties == null ? new Properties() : properties;
        applicationProperties = applicationProperties == null ? Map.of() : applicationProperties;
    }

    public ProtonBuffer encode() {
        Codec codec = CODEC.get();
        ProtonBuffer buffer = ProtonBufferAllocator.defaultAllocator().allocate(256);
        try {
            codec.encoder.writeObject(buffer, codec.encoderState, properties);
            if (!applicationProperties.isEmpty()) {
                codec.encoder.writeObject(buffer, codec.encoderState, new ApplicationProperties(applicationProperties));
            }
            if (body instanceof byte[] bytes) {
                codec.encoder.writeObject(buffer, codec.encoderState, new Data(bytes));
            } else {
                codec.encoder.writeObject(buffer, codec.encoderState, new AmqpValue<>(body));
            }
            return buffer;
        } finally {
            codec.encoderState.reset();
        }
    }

    /** @throws DecodeException when the bytes are not a message */
    public static AmqpMessage decode(ProtonBuffer buffer) {
        Codec codec = CODEC.get();
        Properties properties = null;
        Map<String, Object> applicationProperties = new LinkedHashMap<>();
        Object body = null;
        try {
            while (buffer.isReadable()) {
                Object section = codec.decoder.readObject(buffer, codec.decoderState);
                if (section instanceof Properties p) {
                    properties = p;
                } else if (section instanceof ApplicationProperties ap && ap.getValue() != null) {
                    applicationProperties.putAll(ap.getValue());
                } else if (section instanceof AmqpValue<?> v) {
                    body = v.getValue();
                } else if (section instanceof Data d) {
                    Binary b = d.getBinary();
                    body = b == null ? new byte[0] : b.asByteArray();
                }
            }
            return new AmqpMessage(properties, applicationProperties, body);
        } catch (ClassCastException | IndexOutOfBoundsException e) {
            throw new DecodeException("not an AMQP message: " + e.getMessage(), e);
        } finally {
            codec.decoderState.reset();
        }
    }

    private static final class Codec {
        final Encoder encoder = CodecFactory.getDefaultEncoder();
        final EncoderState encoderState = encoder.newEncoderState();
        final Decoder decoder = CodecFactory.getDefaultDecoder();
        final DecoderState decoderState = decoder.newDecoderState();
    }
}
