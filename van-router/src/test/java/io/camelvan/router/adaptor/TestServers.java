package io.camelvan.router.adaptor;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;

/** Server behaviours for the TCP tests besides echo. */
final class TestServers {

    private TestServers() {
    }

    /**
     * Reads everything until the client's end of output, then answers with the SHA-256 of it (hex)
     * and closes: a reply that can only come after the half-close has crossed.
     *
     * @param open opened (counted down) before the server reads anything, for back-pressure tests
     */
    static EchoServer.Behaviour digestAfterEnd(CountDownLatch open) {
        return socket -> {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            MessageDigest digest = Payloads.digest();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
            socket.getOutputStream().write(HexFormat.of().formatHex(digest.digest()).getBytes(StandardCharsets.US_ASCII));
        };
    }

    /** Says hello and closes at once, without reading: the server closes first. */
    static final EchoServer.Behaviour HELLO_AND_CLOSE = socket ->
        socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));

    /** Says hello, then waits for the client to end (the connection stays open until a side goes away). */
    static final EchoServer.Behaviour HELLO_AND_WAIT = socket -> {
        socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        socket.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    };

    /** Reads a line of text from a socket's input (the tests' servers and clients speak lines). */
    static String readLine(Socket socket) throws IOException {
        StringBuilder line = new StringBuilder();
        InputStream in = socket.getInputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        return line.toString();
    }

    /** Reads a megabyte and closes with the rest unread (the peer gets a reset): a server that stops early. */
    static final EchoServer.Behaviour READ_SOME_AND_CLOSE = socket -> socket.getInputStream().readNBytes(1 << 20);

    /** Reads an HTTP request's head, then closes without answering: a server that fails. */
    static final EchoServer.Behaviour READ_HEAD_AND_CLOSE = socket -> readHead(socket.getInputStream());

    /** Answers an Upgrade request with 101, then echoes whatever comes: a protocol switch. */
    static final EchoServer.Behaviour UPGRADE_THEN_ECHO = socket -> {
        String head = readHead(socket.getInputStream());
        String protocol = head.lines().filter(l -> l.toLowerCase().startsWith("upgrade:")).findFirst()
            .map(l -> l.substring(8).trim()).orElse("none");
        java.io.OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: " + protocol + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        socket.getInputStream().transferTo(out);
    };

    /** The bytes up to and including the empty line that ends an HTTP head. */
    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }

    /**
     * Everything the peer sent until it closed. A peer that closes with bytes of ours still unread
     * resets the connection; what it sent before the reset is returned all the same.
     */
    static String readUntilClosed(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                text.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        } catch (java.net.SocketException reset) {
            // the reset after the answer: the answer is what the caller checks
        }
        return text.toString();
    }
}
