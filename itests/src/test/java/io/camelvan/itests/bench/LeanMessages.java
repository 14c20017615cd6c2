package io.camelvan.itests.bench;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;
import org.apache.qpid.protonj2.codec.CodecFactory;
import org.apache.qpid.protonj2.codec.Decoder;
import org.apache.qpid.protonj2.codec.DecoderState;
import org.apache.qpid.protonj2.codec.Encoder;
import org.apache.qpid.protonj2.codec.EncoderState;
import org.apache.qpid.protonj2.types.messaging.Data;
import org.apache.qpid.protonj2.types.messaging.Properties;

/**
 * Encodes and decodes the lean client's messages: an optional properties section and one Data
 * section, as protonj2-client's {@code Message.create(byte[])} would. One instance per thread.
 */
final class LeanMessages {

    /** What the benchmark reads of a message: its properties (or null) and its body. */
    record Decoded(Properties properties, byte[] body) {
    }

    private final Encoder encoder = CodecFactory.getDefaultEncoder();
    private final EncoderState encoderState = encoder.newEncoderState();
    private final Decoder decoder = CodecFactory.getDefaultDecoder();
    private final DecoderState decoderState = decoder.newDecoderState();

    /** @param properties the properties section, or null for none */
    ProtonBuffer encode(Properties properties, byte[] body) {
        ProtonBuffer buffer = ProtonBufferAllocator.defaultAllocator().allocate(body.length + 128);
        if (properties != null) {
            encoder.writeObject(buffer, encoderState, properties);
        }
        encoder.writeObject(buffer, encoderState, new Data(body));
        return buffer;
    }

    /** Decodes every section of a complete message and closes the buffer. */
    Decoded decode(ProtonBuffer message) {
        try (message) {
            Properties properties = null;
            byte[] body = null;
            while (message.isReadable()) {
                Object section = decoder.readObject(message, decoderState);
                if (section instanceof Properties p) {
                    properties = p;
                } else if (section instanceof Data d) {
                    body = d.getValue();
                }
            }
            if (body == null) {
                throw new IllegalStateException("a message without a Data section");
            }
            return new Decoded(properties, body);
        }
    }
}
