package io.camelvan.router.amqp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.camelvan.router.core.VanAnnotations;

/**
 * Reads a message head straight from its bytes for the encodings routers and most clients write:
 * sections with numeric descriptors, message annotations that are only the router's own (symbol
 * keys, string and list-of-string values), a {@code to} that is a string. Anything else (another
 * client's annotations, symbolic descriptors, a head cut short) is left to protonj2's decoder,
 * which also gives the error for a malformed one. protonj2 copies each symbol it decodes and looks
 * it up in a global map, which made the head's parse a fifth of a receiving router's Java time.
 *
 * <p>Sizes follow AMQP 1.0's format codes: the upper four bits of a code say how wide the value is
 * (fixed widths, or a one- or four-byte size before the bytes), so any value can be skipped unread.
 */
final class HeadScanner {

    private static final byte[] PREFIX = VanAnnotations.PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TO = suffix(VanAnnotations.TO);
    private static final byte[] INGRESS = suffix(VanAnnotations.INGRESS);
    private static final byte[] TRACE = suffix(VanAnnotations.TRACE);
    private static final byte[] DESTS = suffix(VanAnnotations.DESTS);

    private static final int HEADER = 0x70;
    private static final int DELIVERY_ANNOTATIONS = 0x71;
    private static final int MESSAGE_ANNOTATIONS = 0x72;
    private static final int PROPERTIES = 0x73;

    private static final int LIST0 = 0x45;
    private static final int LIST8 = 0xc0;
    private static final int LIST32 = 0xd0;
    private static final int MAP8 = 0xc1;
    private static final int MAP32 = 0xd1;

    /** Thrown (without a stack) when the bytes are not of the kind this reader takes. */
    private static final class NotMine extends RuntimeException {
        NotMine() {
            super(null, null, false, false);
        }
    }

    private static final NotMine NOT_MINE = new NotMine();

    private final byte[] b;
    private final int length;
    private String to;
    private String ingress;
    private List<String> trace;
    private List<String> dests;
    private boolean hasTo;
    private boolean hasTrace;

    private HeadScanner(byte[] bytes, int length) {
        this.b = bytes;
        this.length = length;
    }

    /**
     * The head in {@code bytes[0, length)}, or null when protonj2's decoder has to read it: the
     * encoding is not one this reader takes, or the bytes end before the head does.
     */
    static MessageHead.Parsed parse(byte[] bytes, int length) {
        try {
            return new HeadScanner(bytes, length).parse();
        } catch (NotMine e) {
            return null;
        }
    }

    private MessageHead.Parsed parse() {
        int p = 0;
        int annotationsStart = -1;
        int annotationsEnd = -1;
        while (true) {
            int section = p;
            need(p + 3);
            if (b[p] != 0x00 || b[p + 1] != 0x53) {
                throw NOT_MINE; // a symbolic or long descriptor, or not a section at all
            }
            int code = b[p + 2] & 0xff;
            p += 3;
            if (code == HEADER || code == DELIVERY_ANNOTATIONS) {
                p = skip(p);
            } else if (code == MESSAGE_ANNOTATIONS && annotationsStart < 0) {
                annotationsStart = section;
                p = annotations(p);
                annotationsEnd = p;
            } else if (code >= PROPERTIES) {
                if (annotationsStart < 0) {
                    annotationsStart = annotationsEnd = section;
                }
                VanAnnotations van = hasTo || hasTrace ? new VanAnnotations(to, ingress, trace, dests) : null;
                return new MessageHead.Parsed(annotationsStart, annotationsEnd, Map.of(), van,
                    code == PROPERTIES ? propertiesTo(p) : null);
            } else {
                throw NOT_MINE;
            }
        }
    }

    /** Reads a map of the router's annotations; returns the offset after it. */
    private int annotations(int p) {
        Compound map = compound(p, MAP8, MAP32);
        int q = map.first();
        for (int i = 0; i < map.count() / 2; i++) {
            q = entry(q);
        }
        if (q != map.end()) {
            throw NOT_MINE;
        }
        return q;
    }

    /** One key and value: a key without the router's prefix is another client's, for protonj2 to read. */
    private int entry(int p) {
        need(p + 1);
        if (b[p] != (byte) 0xa3 && b[p] != (byte) 0xb3) {
            throw NOT_MINE; // a numeric key
        }
        int start = symbolStart(p);
        int keyEnd = start + symbolLength(p);
        need(keyEnd);
        if (!startsWith(start, keyEnd, PREFIX)) {
            throw NOT_MINE;
        }
        start += PREFIX.length;
        if (equals(start, keyEnd, TO)) {
            to = string(keyEnd, false);
            hasTo = true;
        } else if (equals(start, keyEnd, INGRESS)) {
            ingress = string(keyEnd, false);
        } else if (equals(start, keyEnd, TRACE)) {
            trace = strings(keyEnd);
            hasTrace = true;
        } else if (equals(start, keyEnd, DESTS)) {
            dests = strings(keyEnd);
        }
        // a router annotation of a later version is dropped, as protonj2's path drops it
        return skip(keyEnd);
    }

    /** The {@code to} of a properties list at {@code p} (its third field), or null. */
    private String propertiesTo(int p) {
        Compound list = compound(p, LIST8, LIST32);
        if (list.count() < 3) {
            return null;
        }
        return string(skip(skip(list.first())), false); // after message-id and user-id
    }

    /** A string value, or null; with {@code symbolToo}, a symbol's text as well (a trace may list symbols). */
    private String string(int p, boolean symbolToo) {
        need(p + 1);
        int format = b[p] & 0xff;
        if (format == 0x40 && !symbolToo) {
            return null;
        }
        if (format != 0xa1 && format != 0xb1 && !(symbolToo && (format == 0xa3 || format == 0xb3))) {
            throw NOT_MINE;
        }
        int start = symbolStart(p);
        int size = symbolLength(p);
        need(start + size);
        return new String(b, start, size, StandardCharsets.UTF_8);
    }

    private List<String> strings(int p) {
        need(p + 1);
        if (b[p] == 0x40) {
            return List.of();
        }
        Compound list = compound(p, LIST8, LIST32); // an array, say, is protonj2's to read
        List<String> out = new ArrayList<>(Math.min(list.count(), 16));
        int q = list.first();
        for (int i = 0; i < list.count(); i++) {
            out.add(string(q, true));
            q = skip(q);
        }
        return out;
    }

    /** Where a list's or map's elements begin, how many there are, and where it ends. */
    private record Compound(int first, int count, int end) {
    }

    /** The header of a list or map at {@code p}: 8- or 32-bit sizes, or list0 for an empty list. */
    private Compound compound(int p, int format8, int format32) {
        need(p + 1);
        int format = b[p] & 0xff;
        if (format == LIST0 && format8 == LIST8) {
            return new Compound(p + 1, 0, p + 1);
        }
        if (format == format8) {
            need(p + 3);
            return new Compound(p + 3, b[p + 2] & 0xff, p + 2 + (b[p + 1] & 0xff));
        }
        if (format == format32) {
            need(p + 9);
            return new Compound(p + 9, readInt(p + 5), p + 5 + readInt(p + 1));
        }
        throw NOT_MINE;
    }

    /** Where a str8/sym8 (one-byte size) or str32/sym32 (four-byte size) value's bytes begin. */
    private int symbolStart(int p) {
        need(p + 1);
        int format = b[p] & 0xff;
        if (format == 0xa1 || format == 0xa3) {
            return p + 2;
        }
        if (format == 0xb1 || format == 0xb3) {
            return p + 5;
        }
        throw NOT_MINE;
    }

    private int symbolLength(int p) {
        if ((b[p] & 0xf0) == 0xa0) {
            need(p + 2);
            return b[p + 1] & 0xff;
        }
        need(p + 5);
        return readInt(p + 1);
    }

    /** The offset after the value at {@code p}, of whatever type. */
    private int skip(int p) {
        need(p + 1);
        int format = b[p] & 0xff;
        if (format == 0x00) {
            return skip(skip(p + 1)); // a described value: its descriptor, then the value
        }
        int end = switch (format >> 4) {
            case 0x4 -> p + 1;
            case 0x5 -> p + 2;
            case 0x6 -> p + 3;
            case 0x7 -> p + 5;
            case 0x8 -> p + 9;
            case 0x9 -> p + 17;
            case 0xa, 0xc, 0xe -> {
                need(p + 2);
                yield p + 2 + (b[p + 1] & 0xff);
            }
            case 0xb, 0xd, 0xf -> {
                need(p + 5);
                yield p + 5 + readInt(p + 1);
            }
            default -> throw NOT_MINE;
        };
        need(end);
        return end;
    }

    private int readInt(int p) {
        int value = (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff);
        if (value < 0) {
            throw NOT_MINE;
        }
        return value;
    }

    private void need(int end) {
        if (end > length || end < 0) {
            throw NOT_MINE;
        }
    }

    private boolean startsWith(int start, int end, byte[] prefix) {
        return end - start >= prefix.length && Arrays.equals(b, start, start + prefix.length, prefix, 0, prefix.length);
    }

    private boolean equals(int start, int end, byte[] expected) {
        return Arrays.equals(b, start, end, expected, 0, expected.length);
    }

    private static byte[] suffix(String key) {
        return key.substring(VanAnnotations.PREFIX.length()).getBytes(StandardCharsets.US_ASCII);
    }
}
