package io.camelvan.router.adaptor;

import java.util.Map;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;
import org.apache.qpid.protonj2.codec.CodecFactory;
import org.apache.qpid.protonj2.codec.Encoder;
import org.apache.qpid.protonj2.codec.EncoderState;
import org.apache.qpid.protonj2.types.messaging.ApplicationProperties;
import org.apache.qpid.protonj2.types.messaging.Properties;

/**
 * Encodes the start of a message an adaptor sends (properties and application properties); its
 * body follows as data sections written by {@link StreamSender}. protonj2 encoders keep state, so
 * each thread has its own.
 */
public final class MessageHeads {

    private static final ThreadLocal<MessageHeads> PER_THREAD = ThreadLocal.withInitial(MessageHeads::new);

    private final Encoder encoder = CodecFactory.getDefaultEncoder();
    private final EncoderState state = encoder.newEncoderState();

    private MessageHeads() {
    }

    /** The encoded properties, then the application properties unless empty. */
    public static ProtonBuffer encode(ProtonBufferAllocator allocator, Properties properties,
            Map<String, Object> applicationProperties) {
        MessageHeads heads = PER_THREAD.get();
        ProtonBuffer buffer = allocator.allocate(128 + applicationProperties.size() * 48);
        try {
            heads.encoder.writeObject(buffer, heads.state, properties);
            if (!applicationProperties.isEmpty()) {
                heads.encoder.writeObject(buffer, heads.state, new ApplicationProperties(applicationProperties));
            }
            return buffer;
        } catch (RuntimeException e) {
            buffer.close();
            throw e;
        } finally {
            heads.state.reset();
        }
    }
}
