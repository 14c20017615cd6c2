package io.camelvan.router.amqp;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;
import org.apache.qpid.protonj2.codec.CodecFactory;
import org.apache.qpid.protonj2.codec.DecodeException;
import org.apache.qpid.protonj2.codec.Decoder;
import org.apache.qpid.protonj2.codec.DecoderState;
import org.apache.qpid.protonj2.types.messaging.AmqpValue;
import org.apache.qpid.protonj2.types.messaging.ApplicationProperties;
import org.apache.qpid.protonj2.types.messaging.Properties;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Reads an AMQP message as its bytes arrive, for the adaptors that turn messages back into TCP
 * bytes and HTTP requests: the properties and application properties once they are complete, then
 * the payload of each {@code data} section piece by piece, never holding a whole body. Small
 * sections (header, annotations, properties, a value body) are decoded whole, up to
 * {@link #MAX_SECTION} bytes. Body bytes are handed on as slices of the chunks they came in (Netty
 * memory is shared, never copied), wherever a section begins. Not thread-safe; one per message.
 */
public final class StreamingMessageReader {

    static final int MAX_SECTION = 1 << 20;
    private static final int DATA = 0x75;
    private static final int AMQP_VALUE = 0x77;
    /** The unread tail of earlier chunks and the chunk being read. */
    private static final int PENDING_PARTS = 4;

    /** Told what the message holds, in order. */
    public interface Listener {

        /** The message's properties (never null) and application properties, before any body. Once. */
        void head(Properties properties, Map<String, Object> applicationProperties);

        /** Some bytes of a data section; ownership passes to the listener. */
        void data(ByteBuf bytes);

        /** An amqp-value body section's value (a client sent a string or map rather than bytes). */
        default void value(Object value) {
            throw new DecodeException("an amqp-value body was not expected here");
        }
    }

    private final Listener listener;
    /** A decoder costs far more to build than a small message to read: one per thread, reset after each use. */
    private static final ThreadLocal<Codec> CODEC = ThreadLocal.withInitial(Codec::new);
    /** The unread end of earlier chunks: a section or section header that a chunk's end cut in two. */
    private CompositeByteBuf pending = Unpooled.compositeBuffer(PENDING_PARTS);
    private long dataRemaining;
    private boolean closed;
    private boolean headGiven;
    private Properties properties;
    private final Map<String, Object> applicationProperties = new LinkedHashMap<>();

    public StreamingMessageReader(Listener listener) {
        this.listener = listener;
    }

    /**
     * Takes the next bytes of the message (ownership passes here).
     *
     * @throws DecodeException when they are not an AMQP message
     */
    public void feed(ProtonBuffer chunk) {
        ByteBuf in = ByteBufs.toByteBuf(chunk);
        if (closed) {
            in.release();
            return;
        }
        if (!pending.isReadable()) {
            try {
                read(in);
            } finally {
                if (closed || !in.isReadable()) {
                    in.release();
                } else {
                    pending.addComponent(true, in); // what is left begins a section: kept until the rest comes
                }
            }
            return;
        }
        pending.addComponent(true, in);
        try {
            read(pending);
        } finally {
            if (!closed) {
                carryUnreadTail();
            }
        }
    }

    /**
     * Starts a new {@link #pending} with only what is still unread. The bytes handed on as slices of
     * the old one keep it (and its chunks) alive until they are written; dropping read parts from it
     * instead would move the bytes under those slices.
     */
    private void carryUnreadTail() {
        CompositeByteBuf next = Unpooled.compositeBuffer(PENDING_PARTS);
        if (pending.isReadable()) {
            // a cut section header, or a head section still coming: small, so copied
            next.addComponent(true, Unpooled.buffer(pending.readableBytes()).writeBytes(pending));
        }
        pending.release();
        pending = next;
    }

    /**
     * The message is complete.
     *
     * @throws DecodeException when it ended in the middle of a section
     */
    public void end() {
        if (dataRemaining > 0 || pending.isReadable()) {
            close();
            throw new DecodeException("the message ended in the middle of a section");
        }
        giveHead();
    }

    /** Lets go of the bytes still held, and of those fed later: the message is finished, or given up. */
    public void close() {
        if (!closed) {
            closed = true;
            pending.release();
        }
    }

    private void read(ByteBuf buf) {
        // a listener may give up on the message (close this) while it is handed a piece
        while (!closed && buf.isReadable()) {
            if (dataRemaining > 0) {
                int n = (int) Math.min(dataRemaining, buf.readableBytes());
                dataRemaining -= n;
                listener.data(buf.readRetainedSlice(n));
            } else if (!nextSection(buf)) {
                return;
            }
        }
    }

    /** @return false when more bytes are needed */
    private boolean nextSection(ByteBuf buf) {
        int at = buf.readerIndex();
        int readable = buf.readableBytes();
        if (readable < 3) {
            return false;
        }
        if (buf.getByte(at) != 0x00) {
            throw new DecodeException("a message section must be a described type");
        }
        long code;
        int header;
        byte format = buf.getByte(at + 1);
        if (format == 0x53) {
            code = buf.getByte(at + 2) & 0xff;
            header = 3;
        } else if (format == (byte) 0x80) {
            if (readable < 10) {
                return false;
            }
            code = buf.getLong(at + 2);
            header = 10;
        } else {
            code = -1; // a symbolic descriptor: decoded whole below
            header = 0;
        }
        if (code == DATA) {
            return dataSection(buf, at, header, readable);
        }
        int size = EncodedSize.of(buf, at);
        if (size > MAX_SECTION || (size == EncodedSize.UNKNOWN && readable > MAX_SECTION)) {
            throw new DecodeException("a message section larger than " + MAX_SECTION + " bytes");
        }
        if (size == EncodedSize.UNKNOWN || size > readable) {
            return false; // not all of it yet
        }
        byte[] encoded = new byte[size];
        buf.readBytes(encoded);
        Object section;
        Codec codec = CODEC.get();
        try {
            section = codec.decoder.readObject(ProtonBufferAllocator.defaultAllocator().copy(encoded), codec.state);
        } finally {
            codec.state.reset();
        }
        if (section instanceof Properties p) {
            properties = p;
        } else if (section instanceof ApplicationProperties ap) {
            if (ap.getValue() != null) {
                applicationProperties.putAll(ap.getValue());
            }
            // nothing of the head can follow: tell it now, not only when the body begins, since a
            // TCP flow's first body bytes may come much later (the server speaks first)
            giveHead();
        } else if (section instanceof AmqpValue<?> v) {
            giveHead();
            listener.value(v.getValue());
        } else if (code > AMQP_VALUE || code == 0x76) {
            giveHead(); // a footer or a sequence body: nothing an adaptor carries
        }
        return true;
    }

    private boolean dataSection(ByteBuf buf, int at, int header, int readable) {
        if (readable < header + 1) {
            return false;
        }
        byte constructor = buf.getByte(at + header);
        long length;
        int size;
        if (constructor == (byte) 0xa0) {
            if (readable < header + 2) {
                return false;
            }
            length = buf.getByte(at + header + 1) & 0xff;
            size = header + 2;
        } else if (constructor == (byte) 0xb0) {
            if (readable < header + 5) {
                return false;
            }
            length = buf.getInt(at + header + 1) & 0xffffffffL;
            size = header + 5;
        } else {
            throw new DecodeException("a data section must hold binary, not type 0x" + Integer.toHexString(constructor & 0xff));
        }
        buf.skipBytes(size);
        giveHead();
        dataRemaining = length;
        return true;
    }

    private void giveHead() {
        if (!headGiven) {
            headGiven = true;
            listener.head(properties != null ? properties : new Properties(), applicationProperties);
        }
    }

    private static final class Codec {
        final Decoder decoder = CodecFactory.getDefaultDecoder();
        final DecoderState state = decoder.newDecoderState();
    }
}
