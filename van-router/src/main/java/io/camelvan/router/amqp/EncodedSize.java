package io.camelvan.router.amqp;

import org.apache.qpid.protonj2.codec.DecodeException;

import io.netty.buffer.ByteBuf;

/**
 * The size of an encoded AMQP value from its constructor alone, so a reader can wait until all of
 * a value has arrived before decoding it (protonj2 reports a truncated value like a malformed one).
 */
final class EncodedSize {

    static final int UNKNOWN = -1;

    private EncodedSize() {
    }

    /**
     * @return the bytes the value at {@code offset} takes, or {@link #UNKNOWN} when too few bytes
     *         have arrived to tell
     * @throws DecodeException for a constructor that is not AMQP
     */
    static int of(ByteBuf buffer, int offset) {
        int end = buffer.writerIndex();
        if (offset >= end) {
            return UNKNOWN;
        }
        int code = buffer.getByte(offset) & 0xff;
        if (code == 0x00) {
            int descriptor = of(buffer, offset + 1);
            if (descriptor == UNKNOWN) {
                return UNKNOWN;
            }
            int value = of(buffer, offset + 1 + descriptor);
            return value == UNKNOWN ? UNKNOWN : 1 + descriptor + value;
        }
        return switch (code >> 4) {
            case 0x4 -> 1;
            case 0x5 -> 2;
            case 0x6 -> 3;
            case 0x7 -> 5;
            case 0x8 -> 9;
            case 0x9 -> 17;
            case 0xa, 0xc, 0xe -> offset + 1 < end ? 2 + (buffer.getByte(offset + 1) & 0xff) : UNKNOWN;
            case 0xb, 0xd, 0xf -> {
                if (offset + 5 > end) {
                    yield UNKNOWN;
                }
                long size = buffer.getInt(offset + 1) & 0xffffffffL;
                if (size > Integer.MAX_VALUE - 5) {
                    throw new DecodeException("an encoded value of " + size + " bytes");
                }
                yield 5 + (int) size;
            }
            default -> throw new DecodeException("not an AMQP type constructor: 0x" + Integer.toHexString(code));
        };
    }
}
