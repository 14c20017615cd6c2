package io.camelvan.router.amqp;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.codec.CodecFactory;
import org.apache.qpid.protonj2.codec.DecodeException;
import org.apache.qpid.protonj2.codec.Decoder;
import org.apache.qpid.protonj2.codec.DecoderState;
import org.apache.qpid.protonj2.types.messaging.DeliveryAnnotations;
import org.apache.qpid.protonj2.types.messaging.Header;
import org.apache.qpid.protonj2.types.messaging.MessageAnnotations;
import org.apache.qpid.protonj2.types.messaging.Properties;

/**
 * Reads the routing address ({@code properties.to}) from the start of an encoded message without
 * consuming it, for links that have no fixed target (the anonymous relay). One per event loop:
 * protonj2 decoders keep state.
 */
final class MessageInspector {

    /** What the start of a message says about its address. */
    record Peek(boolean complete, String to) {
        static final Peek NEED_MORE = new Peek(false, null);
    }

    private final Decoder decoder = CodecFactory.getDefaultDecoder();
    private final DecoderState state = decoder.newDecoderState();

    /**
     * @param more whether more bytes of the message will come
     * @throws DecodeException when the bytes are not an AMQP message
     */
    Peek peekTo(ProtonBuffer message, boolean more) {
        int start = message.getReadOffset();
        try {
            while (message.isReadable()) {
                Object section = decoder.readObject(message, state);
                if (section instanceof Properties properties) {
                    return new Peek(true, properties.getTo());
                }
                if (!(section instanceof Header || section instanceof DeliveryAnnotations
                        || section instanceof MessageAnnotations)) {
                    return new Peek(true, null); // past where properties would be
                }
            }
            return more ? Peek.NEED_MORE : new Peek(true, null);
        } catch (DecodeException | IndexOutOfBoundsException e) {
            if (more) {
                return Peek.NEED_MORE;
            }
            throw e instanceof DecodeException d ? d : new DecodeException("truncated message", e);
        } finally {
            message.setReadOffset(start);
            state.reset();
        }
    }
}
