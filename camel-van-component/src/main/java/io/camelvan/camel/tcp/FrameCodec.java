package io.camelvan.camel.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import io.camelvan.camel.TcpCodecKind;

/** Cuts a TCP byte stream into frames (one exchange each) and writes frames back. */
interface FrameCodec {

    /** The next frame, or null at the end of the stream. */
    Object read(InputStream in) throws IOException;

    /** Writes one frame; {@code body} is what {@link #bodyType()} converts to. */
    void write(OutputStream out, Object body) throws IOException;

    /** The Java type the exchange body is converted to before {@link #write}. */
    Class<?> bodyType();

    static FrameCodec of(TcpCodecKind kind, int maxFrameLength) {
        return switch (kind) {
            case textline -> new TextLineCodec(maxFrameLength);
            case length -> new LengthFieldCodec(maxFrameLength);
            case raw -> new RawCodec(maxFrameLength);
        };
    }
}
