package io.camelvan.camel;

/** How a {@code van:tcp} endpoint cuts a byte stream into exchanges. */
public enum TcpCodecKind {
    /** Lines of UTF-8 text ended by {@code \n} (a {@code \r} before it is dropped); the body is a String. */
    textline,
    /** A 4-byte big-endian length, then that many bytes; the body is a byte[]. */
    length,
    /** Whatever bytes arrive together; the body is a byte[]. */
    raw
}
