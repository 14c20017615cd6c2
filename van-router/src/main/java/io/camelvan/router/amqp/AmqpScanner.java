package io.camelvan.router.amqp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.codec.DecodeException;

/**
 * Finds its way through AMQP-encoded values in place, by their format codes, without building
 * objects for them: where a value ends, and the few strings the router reads.
 * <p>
 * Why not the protonj2 decoder: a router forwarding a message between routers reads and rewrites
 * its annotations on every hop, and decoding them (maps, symbols interned through a shared table,
 * the whole properties list for its {@code to}) was a sixth of a linked router's CPU.
 * Offsets are absolute within the buffer; the buffer's read offset is never moved. A value that
 * runs past the buffer's written bytes throws {@link IndexOutOfBoundsException} (more may come),
 * one that cannot be AMQP throws {@link DecodeException}.
 */
final class AmqpScanner {

    static final int NULL = 0x40;
    static final int LIST0 = 0x45;
    private static final int STR8 = 0xa1;
    private static final int SYM8 = 0xa3;
    private static final int STR32 = 0xb1;
    private static final int SYM32 = 0xb3;

    private AmqpScanner() {
    }

    /** The offset just after the value that starts at {@code at}. */
    static int end(ProtonBuffer b, int at) {
        int code = u8(b, at);
        if (code == 0x00) {
            return end(b, end(b, at + 1)); // a described value: its descriptor, then the value itself
        }
        int end = switch (code >> 4) {
            case 0x4 -> at + 1;
            case 0x5 -> at + 2;
            case 0x6 -> at + 3;
            case 0x7 -> at + 5;
            case 0x8 -> at + 9;
            case 0x9 -> at + 17;
            case 0xa, 0xc, 0xe -> at + 2 + u8(b, at + 1);
            case 0xb, 0xd, 0xf -> at + 5 + size32(b, at + 1);
            default -> throw new DecodeException("not an AMQP type code: 0x" + Integer.toHexString(code));
        };
        need(b, end);
        return end;
    }

    /** A string or symbol, or null for an AMQP null. */
    static String string(ProtonBuffer b, int at) {
        int code = u8(b, at);
        return switch (code) {
            case NULL -> null;
            case STR8, SYM8 -> chars(b, at + 2, u8(b, at + 1));
            case STR32, SYM32 -> chars(b, at + 5, size32(b, at + 1));
            default -> throw new DecodeException("expected a string, found type 0x" + Integer.toHexString(code));
        };
    }

    /** A list or array of strings (or symbols); empty for null. */
    static List<String> strings(ProtonBuffer b, int at) {
        int code = u8(b, at);
        if (code == 0xe0 || code == 0xf0) {
            return arrayOfStrings(b, at, code == 0xe0);
        }
        Compound list = compound(b, at);
        List<String> out = new ArrayList<>(list.count());
        int element = list.first();
        for (int i = 0; i < list.count(); i++) {
            out.add(string(b, element));
            element = end(b, element);
        }
        return out;
    }

    private static List<String> arrayOfStrings(ProtonBuffer b, int at, boolean small) {
        int count = small ? u8(b, at + 2) : size32(b, at + 5);
        int constructor = small ? at + 3 : at + 9;
        int element = constructor + 1;
        boolean wide = switch (u8(b, constructor)) {
            case STR8, SYM8 -> false;
            case STR32, SYM32 -> true;
            default -> throw new DecodeException("expected an array of strings");
        };
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = wide ? size32(b, element) : u8(b, element);
            int start = element + (wide ? 4 : 1);
            out.add(chars(b, start, length));
            element = start + length;
        }
        return out;
    }

    /** Where a list's or map's elements start and how many there are (a map counts keys and values). */
    record Compound(int first, int count) {
    }

    /** The elements of the list or map at {@code at}; none for null or an empty list. */
    static Compound compound(ProtonBuffer b, int at) {
        int code = u8(b, at);
        return switch (code) {
            case NULL, LIST0 -> new Compound(at + 1, 0);
            case 0xc0, 0xc1 -> new Compound(at + 3, u8(b, at + 2));
            case 0xd0, 0xd1 -> new Compound(at + 9, size32(b, at + 5));
            default -> throw new DecodeException("expected a list or map, found type 0x" + Integer.toHexString(code));
        };
    }

    /** Whether the symbol or string at {@code at} starts with the ASCII {@code prefix}. */
    static boolean startsWith(ProtonBuffer b, int at, String prefix) {
        int code = u8(b, at);
        int length;
        int start;
        if (code == SYM8 || code == STR8) {
            length = u8(b, at + 1);
            start = at + 2;
        } else if (code == SYM32 || code == STR32) {
            length = size32(b, at + 1);
            start = at + 5;
        } else {
            return false;
        }
        if (length < prefix.length()) {
            return false;
        }
        need(b, start + prefix.length());
        for (int i = 0; i < prefix.length(); i++) {
            if (b.getByte(start + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int u8(ProtonBuffer b, int at) {
        need(b, at + 1);
        return b.getByte(at) & 0xff;
    }

    private static int size32(ProtonBuffer b, int at) {
        need(b, at + 4);
        int size = b.getInt(at);
        if (size < 0) {
            throw new DecodeException("an encoded size over 2 GiB");
        }
        return size;
    }

    private static String chars(ProtonBuffer b, int start, int length) {
        need(b, start + length);
        byte[] bytes = new byte[length];
        b.copyInto(start, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void need(ProtonBuffer b, int end) {
        if (end > b.getWriteOffset() || end < 0) {
            throw new IndexOutOfBoundsException("the value runs past the bytes received so far");
        }
    }
}
