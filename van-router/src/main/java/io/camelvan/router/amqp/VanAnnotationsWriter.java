package io.camelvan.router.amqp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;

import io.camelvan.router.core.VanAnnotations;

/**
 * Encodes a message-annotations section holding only the router's annotations, byte by byte into
 * an array: what protonj2's encoder would write for the same map (a map32 of symbol keys and
 * string or list-of-string values), without its per-entry type lookups. Messages with other
 * annotations of their own go through protonj2's encoder.
 *
 * <p>Not thread-safe: each {@link MessageHead} has its own.
 */
final class VanAnnotationsWriter {

    private static final byte[] TO = symbol(VanAnnotations.TO);
    private static final byte[] INGRESS = symbol(VanAnnotations.INGRESS);
    private static final byte[] TRACE = symbol(VanAnnotations.TRACE);
    private static final byte[] DESTS = symbol(VanAnnotations.DESTS);

    private byte[] out = new byte[256];
    private int at;

    /** Encodes the section for {@code van}; returns its size. {@link #writeTo} then writes it. */
    int encode(VanAnnotations van) {
        at = 0;
        put((byte) 0x00);
        put((byte) 0x53);
        put((byte) 0x72);
        put((byte) 0xd1);
        int size = at;
        room(8);
        at += 8; // size and count, filled in below
        int entries = 1;
        put(TO);
        string(van.to());
        if (van.ingress() != null) {
            put(INGRESS);
            string(van.ingress());
            entries++;
        }
        put(TRACE);
        strings(van.trace());
        entries++;
        if (van.dests() != null) {
            put(DESTS);
            strings(van.dests());
            entries++;
        }
        setInt(size, at - size - 4);
        setInt(size + 4, 2 * entries);
        return at;
    }

    /** Writes the section last encoded. */
    void writeTo(ProtonBuffer buffer) {
        buffer.writeBytes(out, 0, at);
    }

    private void string(String value) {
        if (value == null) {
            put((byte) 0x40);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 255) {
            put((byte) 0xa1);
            put((byte) bytes.length);
        } else {
            put((byte) 0xb1);
            room(4);
            setInt(at, bytes.length);
            at += 4;
        }
        put(bytes);
    }

    private void strings(List<String> values) {
        if (values.isEmpty()) {
            put((byte) 0x45);
            return;
        }
        put((byte) 0xd0);
        int size = at;
        room(8);
        at += 8;
        for (String value : values) {
            string(value);
        }
        setInt(size, at - size - 4);
        setInt(size + 4, values.size());
    }

    private void put(byte value) {
        room(1);
        out[at++] = value;
    }

    private void put(byte[] bytes) {
        room(bytes.length);
        System.arraycopy(bytes, 0, out, at, bytes.length);
        at += bytes.length;
    }

    private void setInt(int index, int value) {
        out[index] = (byte) (value >>> 24);
        out[index + 1] = (byte) (value >>> 16);
        out[index + 2] = (byte) (value >>> 8);
        out[index + 3] = (byte) value;
    }

    private void room(int more) {
        if (at + more > out.length) {
            out = Arrays.copyOf(out, Math.max(2 * out.length, at + more));
        }
    }

    private static byte[] symbol(String key) {
        byte[] text = key.getBytes(StandardCharsets.US_ASCII);
        byte[] encoded = new byte[text.length + 2];
        encoded[0] = (byte) 0xa3;
        encoded[1] = (byte) text.length;
        System.arraycopy(text, 0, encoded, 2, text.length);
        return encoded;
    }
}
