package io.camelvan.router.amqp;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;

/**
 * The framing of an AMQP {@code data} body section, written in front of bytes that are sent as
 * they are (a chunk read from a socket), so the bytes themselves are never copied to encode them.
 */
public final class DataSections {

    /** Bytes of the framing: descriptor 0x00 0x53 0x75, then vbin32 constructor and length. */
    public static final int HEADER_SIZE = 8;

    private DataSections() {
    }

    /** The framing of a data section of {@code length} bytes. */
    public static ProtonBuffer header(ProtonBufferAllocator allocator, int length) {
        ProtonBuffer header = allocator.allocate(HEADER_SIZE);
        header.writeByte((byte) 0x00).writeByte((byte) 0x53).writeByte((byte) 0x75).writeByte((byte) 0xb0);
        header.writeInt(length);
        return header;
    }
}
