package io.camelvan.router.amqp;

import java.util.List;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;
import org.apache.qpid.protonj2.codec.DecodeException;

import io.camelvan.router.core.VanAnnotations;

/**
 * Reads and rewrites the start of an encoded message: its {@code to} address and the router's
 * {@code x-opt-van.} message annotations. Only the sections before the properties are touched;
 * the rest of the bytes pass through as they are, and the client's own annotations are carried
 * over as the bytes they came in ({@link AmqpScanner} says why nothing here is decoded into objects).
 */
public final class MessageHead {

    private static final byte[] NONE = new byte[0];

    /**
     * Where the message annotations are and what they say.
     *
     * @param annotationsStart offset (from the start of the head) of the annotations section, or where it would go
     * @param annotationsEnd offset just after it (equal to the start when there is none)
     * @param others the annotations other than the router's own, as their encoded keys and values
     * @param otherCount how many keys and values {@code others} holds
     * @param van what the previous router said, or null when the message has no router annotations
     * @param to the properties' {@code to}, or null
     */
    public record Parsed(int annotationsStart, int annotationsEnd, byte[] others, int otherCount, VanAnnotations van,
            String to) {

        public boolean hasVanAnnotations() {
            return van != null;
        }

        /**
         * The head of a message that begins with its properties, as an adaptor encodes its own: known
         * without parsing it.
         */
        public static Parsed unannotated(String to) {
            return new Parsed(0, 0, NONE, 0, null, to);
        }
    }

    private MessageHead() {
    }

    private static final long HEADER = 0x70;
    private static final long DELIVERY_ANNOTATIONS = 0x71;
    private static final long MESSAGE_ANNOTATIONS = 0x72;
    private static final long PROPERTIES = 0x73;
    private static final long BODY = 0x74; // or any other section: the head ends there

    /**
     * Parses the head of a message without consuming it.
     *
     * @param more whether more bytes of the message will come
     * @return null when the head is not complete yet (only possible when {@code more})
     * @throws DecodeException when the bytes are not an AMQP message
     */
    public static Parsed parse(ProtonBuffer head, boolean more) {
        int start = head.getReadOffset();
        int at = start;
        int annotationsStart = -1;
        int annotationsEnd = -1;
        AnnotationsSeen annotations = AnnotationsSeen.NOTHING;
        try {
            while (at < head.getWriteOffset()) {
                int section = at;
                if (AmqpScanner.u8(head, at) != 0x00) {
                    throw new DecodeException("a message section must be a described type");
                }
                int value = AmqpScanner.end(head, at + 1);
                long code = sectionCode(head, at + 1);
                if (code != HEADER && code != DELIVERY_ANNOTATIONS && code != MESSAGE_ANNOTATIONS && code != PROPERTIES) {
                    // the body (or application properties) begins: nothing before it is missing, and the
                    // body itself, possibly many megabytes still to come, is never looked at here
                    break;
                }
                at = AmqpScanner.end(head, value);
                if (code == MESSAGE_ANNOTATIONS) {
                    annotationsStart = section - start;
                    annotationsEnd = at - start;
                    annotations = AnnotationsSeen.scan(head, value);
                } else if (code == PROPERTIES) {
                    return parsed(annotationsStart < 0 ? section - start : annotationsStart,
                        annotationsStart < 0 ? section - start : annotationsEnd, annotations, propertiesTo(head, value));
                }
            }
            if (at >= head.getWriteOffset() && more) {
                return null;
            }
            return parsed(annotationsStart < 0 ? at - start : annotationsStart,
                annotationsStart < 0 ? at - start : annotationsEnd, annotations, null);
        } catch (IndexOutOfBoundsException e) {
            if (more) {
                return null;
            }
            throw new DecodeException("truncated message", e);
        }
    }

    private static Parsed parsed(int start, int end, AnnotationsSeen annotations, String to) {
        return new Parsed(start, end, annotations.others(), annotations.otherCount(), annotations.van(), to);
    }

    /** The section's descriptor, read as the code of a section (symbolic descriptors are mapped to theirs). */
    private static long sectionCode(ProtonBuffer head, int descriptor) {
        int format = AmqpScanner.u8(head, descriptor);
        if (format == 0x53) {
            return AmqpScanner.u8(head, descriptor + 1);
        }
        if (format == 0x80) {
            return head.getLong(descriptor + 1);
        }
        if (format == 0x44) {
            return 0;
        }
        String symbol = AmqpScanner.string(head, descriptor);
        return switch (symbol == null ? "" : symbol) {
            case "amqp:header:list" -> HEADER;
            case "amqp:delivery-annotations:map" -> DELIVERY_ANNOTATIONS;
            case "amqp:message-annotations:map" -> MESSAGE_ANNOTATIONS;
            case "amqp:properties:list" -> PROPERTIES;
            default -> BODY;
        };
    }

    /** The {@code to} field of the properties list: its third element. */
    private static String propertiesTo(ProtonBuffer head, int list) {
        AmqpScanner.Compound fields = AmqpScanner.compound(head, list);
        if (fields.count() < 3) {
            return null;
        }
        int to = AmqpScanner.end(head, AmqpScanner.end(head, fields.first()));
        return AmqpScanner.string(head, to);
    }

    /** The router's annotations found in a message-annotations map, and the bytes of all the others. */
    private record AnnotationsSeen(byte[] others, int otherCount, VanAnnotations van) {

        static final AnnotationsSeen NOTHING = new AnnotationsSeen(NONE, 0, null);

        static AnnotationsSeen scan(ProtonBuffer head, int map) {
            AmqpScanner.Compound entries = AmqpScanner.compound(head, map);
            if (entries.count() % 2 != 0) {
                throw new DecodeException("message annotations with a key but no value");
            }
            String to = null;
            String ingress = null;
            List<String> trace = null;
            List<String> dests = null;
            boolean van = false;
            int othersStart = -1;
            byte[] others = NONE;
            int otherCount = 0;
            int key = entries.first();
            for (int i = 0; i < entries.count(); i += 2) {
                int value = AmqpScanner.end(head, key);
                int next = AmqpScanner.end(head, value);
                if (AmqpScanner.startsWith(head, key, VanAnnotations.PREFIX)) {
                    switch (AmqpScanner.string(head, key)) {
                        case VanAnnotations.TO -> {
                            to = AmqpScanner.string(head, value);
                            van = true;
                        }
                        case VanAnnotations.INGRESS -> ingress = AmqpScanner.string(head, value);
                        case VanAnnotations.TRACE -> {
                            trace = AmqpScanner.strings(head, value);
                            van = true;
                        }
                        case VanAnnotations.DESTS -> dests = AmqpScanner.strings(head, value);
                        default -> { } // a router annotation this router does not know: dropped like the rest
                    }
                } else {
                    others = append(others, head, key, next - key);
                    otherCount += 2;
                }
                key = next;
            }
            return new AnnotationsSeen(others, otherCount, van ? new VanAnnotations(to, ingress, trace, dests) : null);
        }

        private static byte[] append(byte[] to, ProtonBuffer head, int from, int length) {
            byte[] grown = java.util.Arrays.copyOf(to, to.length + length);
            head.copyInto(from, grown, to.length, length);
            return grown;
        }
    }

    /**
     * The head with its annotations replaced: the client's own plus {@code van} (or none of the
     * router's when {@code van} is null). Returns the buffers to write in order: the rewritten
     * start, and the original from the end of its annotations on.
     */
    public static ProtonBuffer[] rewrite(ProtonBuffer head, Parsed parsed, VanAnnotations van, ProtonBufferAllocator allocator) {
        int offset = head.getReadOffset();
        ProtonBuffer start = allocator.allocate(parsed.annotationsStart() + parsed.others().length + 128
            + (van == null ? 0 : 32 * (van.trace().size() + (van.dests() == null ? 0 : van.dests().size()))));
        head.copyInto(offset, start, 0, parsed.annotationsStart());
        start.advanceWriteOffset(parsed.annotationsStart());
        if (parsed.otherCount() > 0 || van != null) {
            AnnotationsWriter.write(start, parsed.others(), parsed.otherCount(), van);
        }
        head.setReadOffset(offset + parsed.annotationsEnd());
        return new ProtonBuffer[] {start, head};
    }
}
