package io.camelvan.router.adaptor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Test payloads and their SHA-256, and a client that sends one through a socket and digests what comes back. */
final class Payloads {

    /** Writers of concurrent exchanges each need a thread: a writer blocked by back-pressure must not hold up another. */
    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-writer");
        t.setDaemon(true);
        return t;
    });

    private Payloads() {
    }

    /** {@code size} pseudo-random bytes, the same for the same seed. */
    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a client received: its SHA-256 and length. */
    record Received(String sha256, long length) {
    }

    /**
     * Writes the payload (on a thread of its own, so that a server answering as it reads never
     * deadlocks with us), half-closes, and reads until the server's end.
     */
    static Received exchange(Socket socket, byte[] payload) throws Exception {
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                for (int at = 0; at < payload.length; at += 256 * 1024) {
                    out.write(payload, at, Math.min(256 * 1024, payload.length - at));
                }
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, WRITERS);
        Received received = readToEnd(socket.getInputStream());
        writing.get();
        return received;
    }

    static Received readToEnd(InputStream in) throws IOException {
        MessageDigest digest = digest();
        byte[] buffer = new byte[64 * 1024];
        long length = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            digest.update(buffer, 0, n);
            length += n;
        }
        return new Received(HexFormat.of().formatHex(digest.digest()), length);
    }
}
