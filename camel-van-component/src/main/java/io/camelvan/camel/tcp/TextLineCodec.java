package io.camelvan.camel.tcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** UTF-8 lines ended by {@code \n}; a {@code \r} before it is dropped; a last line without one still counts. */
final class TextLineCodec implements FrameCodec {

    private final int maxFrameLength;

    TextLineCodec(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    public Object read(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                return text(line);
            }
            if (line.size() == maxFrameLength) {
                throw new IOException("a line is longer than maxFrameLength (" + maxFrameLength + " bytes)");
            }
            line.write(b);
        }
        return line.size() == 0 ? null : text(line);
    }

    private static String text(ByteArrayOutputStream line) {
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public void write(OutputStream out, Object body) throws IOException {
        out.write(((String) body).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }

    @Override
    public Class<?> bodyType() {
        return String.class;
    }
}
