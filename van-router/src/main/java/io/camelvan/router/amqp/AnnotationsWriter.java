package io.camelvan.router.amqp;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;

import io.camelvan.router.core.VanAnnotations;

/**
 * Writes a message-annotations section: a client's own annotations as the bytes they came in, then
 * the router's {@code x-opt-van.} ones, encoded here directly (symbol keys, string values, lists
 * of strings) rather than through a map and protonj2's encoder, because every hop does it.
 */
final class AnnotationsWriter {

    private static final byte[] TO = ascii(VanAnnotations.TO);
    private static final byte[] INGRESS = ascii(VanAnnotations.INGRESS);
    private static final byte[] TRACE = ascii(VanAnnotations.TRACE);
    private static final byte[] DESTS = ascii(VanAnnotations.DESTS);

    private AnnotationsWriter() {
    }

    /**
     * @param others encoded keys and values to carry over
     * @param otherCount how many keys and values they are
     * @param van the router's annotations, or null for none
     */
    static void write(ProtonBuffer out, byte[] others, int otherCount, VanAnnotations van) {
        out.writeByte((byte) 0x00).writeByte((byte) 0x53).writeByte((byte) 0x72);
        out.writeByte((byte) 0xd1); // map32: size, then count, then the entries
        int size = out.getWriteOffset();
        out.writeInt(0);
        int count = otherCount;
        out.writeInt(0);
        out.writeBytes(others);
        if (van != null) {
            count += 2 * entry(out, TO, van.to());
            count += 2 * entry(out, INGRESS, van.ingress());
            symbol(out, TRACE);
            strings(out, van.trace());
            count += 2;
            if (van.dests() != null) {
                symbol(out, DESTS);
                strings(out, van.dests());
                count += 2;
            }
        }
        out.setInt(size, out.getWriteOffset() - size - 4);
        out.setInt(size + 4, count);
    }

    /** Writes a key with a string value, unless the value is null. @return entries written */
    private static int entry(ProtonBuffer out, byte[] key, String value) {
        if (value == null) {
            return 0;
        }
        symbol(out, key);
        string(out, value);
        return 1;
    }

    private static void symbol(ProtonBuffer out, byte[] ascii) {
        out.writeByte((byte) 0xa3).writeByte((byte) ascii.length).writeBytes(ascii);
    }

    private static void string(ProtonBuffer out, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length < 256) {
            out.writeByte((byte) 0xa1).writeByte((byte) utf8.length);
        } else {
            out.writeByte((byte) 0xb1).writeInt(utf8.length);
        }
        out.writeBytes(utf8);
    }

    private static void strings(ProtonBuffer out, List<String> values) {
        out.writeByte((byte) 0xd0); // list32
        int size = out.getWriteOffset();
        out.writeInt(0).writeInt(values.size());
        for (String value : values) {
            string(out, value);
        }
        out.setInt(size, out.getWriteOffset() - size - 4);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
