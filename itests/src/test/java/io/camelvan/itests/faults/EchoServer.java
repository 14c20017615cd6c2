package io.camelvan.itests.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP echo server on loopback, a thread per connection, that knows which of its connections are
 * still open: a flow that a router failure cut must end here too, not hang. Its static methods are
 * the client side: flows opened through a router's {@code tcpListener} to such a server.
 */
final class EchoServer implements AutoCloseable {

    private static final byte[] PING = "ping\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final Thread acceptor;

    EchoServer() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "echo-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted and not yet ended by the other side (EOF or reset). */
    int openConnections() {
        return open.size();
    }

    long accepted() {
        return accepted.get();
    }

    /** A connection to a listener (of a flow to an echo server) that has echoed one line. */
    static Socket openFlow(int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(PING);
            byte[] back = socket.getInputStream().readNBytes(PING.length);
            if (!Arrays.equals(back, PING)) {
                throw new IOException("the flow echoed " + new String(back, StandardCharsets.US_ASCII));
            }
            socket.setSoTimeout(0);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** A new flow through the listener at {@code port} echoes a line within a second. */
    static boolean flowWorks(int port) {
        try (Socket flow = openFlow(port, Duration.ofSeconds(1))) {
            return true;
        } catch (IOException e) {
            return false;   // reset (no path yet) or no echo in time: try again
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                open.add(socket);
                Thread echo = new Thread(() -> echo(socket), "echo-" + socket.getPort());
                echo.setDaemon(true);
                echo.start();
            } catch (IOException e) {
                // closed: the loop ends
            }
        }
    }

    private void echo(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // a reset ends the connection as an EOF does
        } finally {
            open.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}
