package io.camelvan.camel.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/** No framing: each read returns the bytes available (at least one, at most {@code maxFrameLength}). */
final class RawCodec implements FrameCodec {

    private final int maxFrameLength;

    RawCodec(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    public Object read(InputStream in) throws IOException {
        byte[] buffer = new byte[Math.min(maxFrameLength, 64 * 1024)];
        int n = in.read(buffer);
        return n < 0 ? null : Arrays.copyOf(buffer, n);
    }

    @Override
    public void write(OutputStream out, Object body) throws IOException {
        out.write((byte[]) body);
    }

    @Override
    public Class<?> bodyType() {
        return byte[].class;
    }
}
