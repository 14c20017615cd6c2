package io.camelvan.router.adaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that closes a keep-alive connection just as the next request arrives on it (as servers
 * do at their idle timeout): the connector sends an idempotent request again on a new connection,
 * instead of the client getting a 502; a POST, which the server may have acted on, still gets the 502.
 */
class StaleKeepAliveTest {

    @Test
    void anIdempotentRequestMeetingAClosedKeepAliveConnectionIsServedOnAnotherOne(@TempDir Path dir) throws Exception {
        try (OneRequestPerConnectionServer server = new OneRequestPerConnectionServer();
             LinkedSites sites = linked(dir, server)) {
            String url = "http://127.0.0.1:" + sites.site("west").httpPort("api") + "/";

            // three requests one after another on one client connection: the second and third find the
            // pooled server connection closed under them
            Curl.Result result = Curl.run(dir, "--fail", "--write-out", " %{http_code};", url + "a", url + "b", url + "c");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).isEqualTo("served 1 200;served 2 200;served 3 200;");
            assertThat(server.closedUnanswered.get()).as("requests that met a closing connection").isEqualTo(2);
        }
    }

    @Test
    void aPostMeetingAClosedKeepAliveConnectionIsNotSentAgain(@TempDir Path dir) throws Exception {
        try (OneRequestPerConnectionServer server = new OneRequestPerConnectionServer();
             LinkedSites sites = linked(dir, server)) {
            String url = "http://127.0.0.1:" + sites.site("west").httpPort("api") + "/";

            Curl.Result result = Curl.run(dir, "--write-out", " %{http_code};", url + "a",
                "--next", "--write-out", " %{http_code};", "--data", "order=1", url + "b");

            assertThat(result.out()).as(result.err()).startsWith("served 1 200;").endsWith(" 502;");
            assertThat(server.served.get()).as("requests the server answered").isEqualTo(1);
        }
    }

    private static LinkedSites linked(Path dir, OneRequestPerConnectionServer server) throws Exception {
        LinkedSites sites = new LinkedSites(dir.resolve("sites"));
        LinkedSites.Site west = sites.site("west").with("httpListeners: [{name: api, routingKey: api, port: 0}]");
        sites.site("east").with("httpConnectors: [{name: api, routingKey: api, port: " + server.port() + "}]");
        sites.link("west", "east").startAll();
        await().atMost(Duration.ofSeconds(20)).until(() -> west.reaches("api"));
        return sites;
    }

    /** Answers the first request of each connection, then closes it when the next one begins. */
    private static final class OneRequestPerConnectionServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger served = new AtomicInteger();
        final AtomicInteger closedUnanswered = new AtomicInteger();

        OneRequestPerConnectionServer() throws IOException {
            Thread acceptor = new Thread(this::accept, "one-request-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    Thread t = new Thread(() -> serveOne(s));
                    t.setDaemon(true);
                    t.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serveOne(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                readHead(in);
                byte[] body = ("served " + served.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                if (in.read() >= 0) {
                    closedUnanswered.incrementAndGet(); // the next request begins: close without an answer
                }
            } catch (IOException e) {
                // the connector went away: nothing to serve
            }
        }

        private static void readHead(InputStream in) throws IOException {
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed before a request head");
                }
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
