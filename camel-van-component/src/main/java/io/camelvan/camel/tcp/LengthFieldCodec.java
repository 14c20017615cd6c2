package io.camelvan.camel.tcp;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A 4-byte big-endian length, then that many bytes. */
final class LengthFieldCodec implements FrameCodec {

    private final int maxFrameLength;

    LengthFieldCodec(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    public Object read(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        DataInputStream data = new DataInputStream(in);
        int length = (first << 24) | (data.readUnsignedByte() << 16) | (data.readUnsignedByte() << 8)
            | data.readUnsignedByte();
        if (length < 0 || length > maxFrameLength) {
            throw new IOException("a frame of " + Integer.toUnsignedString(length)
                + " bytes is longer than maxFrameLength (" + maxFrameLength + " bytes)");
        }
        byte[] frame = new byte[length];
        try {
            data.readFully(frame);
        } catch (EOFException e) {
            throw new IOException("the stream ended inside a frame of " + length + " bytes", e);
        }
        return frame;
    }

    @Override
    public void write(OutputStream out, Object body) throws IOException {
        byte[] bytes = (byte[]) body;
        out.write(new byte[] { (byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16), (byte) (bytes.length >>> 8),
            (byte) bytes.length });
        out.write(bytes);
    }

    @Override
    public Class<?> bodyType() {
        return byte[].class;
    }
}
