package io.camelvan.router.amqp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;
import org.apache.qpid.protonj2.codec.CodecFactory;
import org.apache.qpid.protonj2.codec.DecodeEOFException;
import org.apache.qpid.protonj2.codec.DecodeException;
import org.apache.qpid.protonj2.codec.Decoder;
import org.apache.qpid.protonj2.codec.DecoderState;
import org.apache.qpid.protonj2.codec.Encoder;
import org.apache.qpid.protonj2.codec.EncoderState;
import org.apache.qpid.protonj2.types.Symbol;
import org.apache.qpid.protonj2.types.messaging.DeliveryAnnotations;
import org.apache.qpid.protonj2.types.messaging.Header;
import org.apache.qpid.protonj2.types.messaging.MessageAnnotations;
import org.apache.qpid.protonj2.types.messaging.Properties;

import io.camelvan.router.core.VanAnnotations;

/**
 * Reads and rewrites the start of an encoded message: its {@code to} address and the router's
 * {@code x-opt-van.} message annotations. Only the sections before the properties are touched;
 * the rest of the bytes pass through as they are. protonj2 codecs keep state, so each thread has its own.
 */
public final class MessageHead {

    private static final Symbol TO = Symbol.valueOf(VanAnnotations.TO);
    private static final Symbol INGRESS = Symbol.valueOf(VanAnnotations.INGRESS);
    private static final Symbol TRACE = Symbol.valueOf(VanAnnotations.TRACE);
    private static final Symbol DESTS = Symbol.valueOf(VanAnnotations.DESTS);

    /**
     * Where the message annotations are and what they say.
     *
     * @param annotationsStart offset (from the start of the head) of the annotations section, or where it would go
     * @param annotationsEnd offset just after it (equal to the start when there is none)
     * @param annotations the annotations other than the router's own, possibly empty
     * @param van what the previous router said, or null when the message has no router annotations
     * @param to the properties' {@code to}, or null
     */
    public record Parsed(int annotationsStart, int annotationsEnd, Map<Symbol, Object> annotations, VanAnnotations van,
            String to) {

        public boolean hasVanAnnotations() {
            return van != null;
        }

        /**
         * The head of a message that begins with its properties, as an adaptor encodes its own: known
         * without parsing it.
         */
        public static Parsed unannotated(String to) {
            return new Parsed(0, 0, Map.of(), null, to);
        }
    }

    private static final ThreadLocal<MessageHead> PER_THREAD = ThreadLocal.withInitial(MessageHead::new);

    /** Heads up to this size are parsed from a copy in an array. */
    private static final int HEAP_COPY_LIMIT = 4096;
    private static final ProtonBufferAllocator HEAP = ProtonBufferAllocator.defaultAllocator();

    private final Decoder decoder = CodecFactory.getDefaultDecoder();
    private final DecoderState decoderState = decoder.newDecoderState();
    private final Encoder encoder = CodecFactory.getDefaultEncoder();
    private final EncoderState encoderState = encoder.newEncoderState();
    private final VanAnnotationsWriter vanWriter = new VanAnnotationsWriter();
    private byte[] scratch = new byte[256];

    private MessageHead() {
    }

    /** The instance of the calling thread. */
    public static MessageHead get() {
        return PER_THREAD.get();
    }

    /**
     * Parses the head of a message without consuming it.
     *
     * @param more whether more bytes of the message will come
     * @return null when the head is not complete yet (only possible when {@code more})
     * @throws DecodeException when the bytes are not an AMQP message
     */
    public Parsed parse(ProtonBuffer head, boolean more) {
        int readable = head.getReadableBytes();
        // the head is read from a copy in an array: protonj2 decodes a byte at a time, and each
        // access to a pooled Netty buffer is checked. A large first transfer is mostly body, and
        // the head is near its start
        int copied = Math.min(readable, HEAP_COPY_LIMIT);
        if (scratch.length < copied) {
            scratch = new byte[HEAP_COPY_LIMIT];
        }
        head.copyInto(head.getReadOffset(), scratch, 0, copied);
        Parsed scanned = HeadScanner.parse(scratch, copied);
        if (scanned != null) {
            return scanned;
        }
        if (readable > HEAP_COPY_LIMIT) {
            return parseIn(head, more);
        }
        return parseIn(HEAP.copy(scratch, 0, copied), more);
    }

    private Parsed parseIn(ProtonBuffer head, boolean more) {
        int start = head.getReadOffset();
        int annotationsStart = -1;
        int annotationsEnd = -1;
        Map<Symbol, Object> annotations = Map.of();
        try {
            while (head.isReadable()) {
                int before = head.getReadOffset();
                long code = sectionCode(head);
                if (code == NEED_MORE) {
                    break;
                }
                if (code > PROPERTIES) {
                    // the body (or application properties) begins: nothing before it is missing, and the
                    // body itself, possibly many megabytes still to come, is never decoded here
                    if (annotationsStart < 0) {
                        annotationsStart = annotationsEnd = before - start;
                    }
                    return parsed(annotationsStart, annotationsEnd, annotations, null);
                }
                Object section = decoder.readObject(head, decoderState);
                if (section instanceof Header || section instanceof DeliveryAnnotations) {
                    continue;
                }
                if (section instanceof MessageAnnotations ma) {
                    annotationsStart = before - start;
                    annotationsEnd = head.getReadOffset() - start;
                    annotations = ma.getValue() == null ? Map.of() : ma.getValue();
                    continue;
                }
                if (annotationsStart < 0) {
                    annotationsStart = annotationsEnd = before - start;
                }
                String to = section instanceof Properties p ? p.getTo() : null;
                return parsed(annotationsStart, annotationsEnd, annotations, to);
            }
            if (more) {
                return null;
            }
            if (annotationsStart < 0) {
                annotationsStart = annotationsEnd = head.getReadOffset() - start;
            }
            return parsed(annotationsStart, annotationsEnd, annotations, null);
        } catch (DecodeException | DecodeEOFException | IndexOutOfBoundsException e) {
            if (more) {
                return null;
            }
            throw e instanceof DecodeException d ? d : new DecodeException("truncated message", e);
        } finally {
            head.setReadOffset(start);
            decoderState.reset();
        }
    }

    private static final long PROPERTIES = 0x73;
    private static final long NEED_MORE = -1;

    /**
     * The descriptor code of the section at the read offset, without decoding the section: -1 when
     * not enough bytes have arrived to tell, 0 for a descriptor that is not a numeric code.
     */
    private static long sectionCode(ProtonBuffer buffer) {
        int at = buffer.getReadOffset();
        int readable = buffer.getReadableBytes();
        if (readable < 3) {
            return NEED_MORE;
        }
        if (buffer.getByte(at) != 0x00) {
            throw new DecodeException("a message section must be a described type");
        }
        byte format = buffer.getByte(at + 1);
        if (format == 0x53) {
            return buffer.getByte(at + 2) & 0xff;
        }
        if (format == (byte) 0x80) {
            return readable < 10 ? NEED_MORE : buffer.getLong(at + 2);
        }
        return 0; // a symbolic descriptor: decode the section to see what it is
    }

    private static Parsed parsed(int start, int end, Map<Symbol, Object> all, String to) {
        Map<Symbol, Object> others = new LinkedHashMap<>();
        VanAnnotations van = null;
        for (Map.Entry<Symbol, Object> e : all.entrySet()) {
            if (!e.getKey().toString().startsWith(VanAnnotations.PREFIX)) {
                others.put(e.getKey(), e.getValue());
            }
        }
        if (all.containsKey(TO) || all.containsKey(TRACE)) {
            van = new VanAnnotations((String) all.get(TO), (String) all.get(INGRESS),
                strings(all.get(TRACE)), all.containsKey(DESTS) ? strings(all.get(DESTS)) : null);
        }
        return new Parsed(start, end, others, van, to);
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(String.valueOf(v)));
            return out;
        }
        if (value instanceof Object[] array) {
            List<String> out = new ArrayList<>(array.length);
            for (Object v : array) {
                out.add(String.valueOf(v));
            }
            return out;
        }
        throw new DecodeException("router annotation is not a list: " + value);
    }

    /**
     * The head with its annotations replaced: the client's own plus {@code van} (or none of the
     * router's when {@code van} is null). Returns two buffers to write in order: the rewritten
     * start, and a slice of the original from the end of its annotations on.
     */
    public ProtonBuffer[] rewrite(ProtonBuffer head, Parsed parsed, VanAnnotations van) {
        int offset = head.getReadOffset();
        boolean routerOnly = parsed.annotations().isEmpty();
        int section = routerOnly ? (van == null ? 0 : vanWriter.encode(van)) : 64 + 32 * (parsed.annotations().size() + 4);
        // encoded into an array, which the link copies out in one go
        ProtonBuffer start = HEAP.allocate(parsed.annotationsStart() + section);
        head.copyInto(offset, start, 0, parsed.annotationsStart());
        start.advanceWriteOffset(parsed.annotationsStart());
        if (routerOnly) {
            if (van != null) {
                vanWriter.writeTo(start);
            }
        } else {
            Map<Symbol, Object> annotations = new LinkedHashMap<>(parsed.annotations());
            if (van != null) {
                annotations.put(TO, van.to());
                if (van.ingress() != null) {
                    annotations.put(INGRESS, van.ingress());
                }
                annotations.put(TRACE, van.trace());
                if (van.dests() != null) {
                    annotations.put(DESTS, van.dests());
                }
            }
            encoder.writeObject(start, encoderState, new MessageAnnotations(annotations));
            encoderState.reset();
        }
        if (parsed.annotationsEnd() == 0) {
            return new ProtonBuffer[] {start, head}; // nothing to cut out: the rest is the whole head
        }
        int restLength = head.getReadableBytes() - parsed.annotationsEnd();
        ProtonBuffer rest = head.copy(offset + parsed.annotationsEnd(), restLength, true);
        head.close();
        return new ProtonBuffer[] {start, rest};
    }
}
