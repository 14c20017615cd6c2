package io.camelvan.itests.faults.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.sun.net.httpserver.HttpServer;

import io.camelvan.itests.LinkedSiteProcesses;
import io.camelvan.itests.MemorySampler;
import io.camelvan.itests.RouterProcess;
import io.camelvan.itests.bench.FlowEchoServer;

/**
 * Floods on a router process's TCP and HTTP listeners: connections that never send (half-open
 * flows, idle HTTP connections), HTTP heads sent a byte at a time (slowloris), oversized heads,
 * and connections past {@code maxConnections}. Each time the listener keeps serving a
 * well-behaved client, refuses clearly, and gives back what the flood took (flows, file
 * descriptors). Figures: {@code target/faults/listener-floods.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceListenerFloodIT {

    private static final int HALF_OPEN = Integer.getInteger("abuse.halfOpenFlows", 2000);
    private static final int SLOWLORIS = Integer.getInteger("abuse.slowloris", 300);
    private static final int CAPPED = 100;
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
    /** Descriptors a router may hold beyond its baseline once a flood is gone (timers, lazily opened files). */
    private static final int FD_SLACK = 30;

    private final FigureFile figures = new FigureFile("listener-floods");
    private FlowEchoServer echo;
    private HttpServer web;
    private RouterProcess router;
    private MemorySampler memory;
    private int tcpPort;
    private int cappedPort;
    private int httpPort;

    @BeforeAll
    void start() throws IOException {
        echo = new FlowEchoServer();
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        web.createContext("/hello", exchange -> {
            byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        web.start();
        tcpPort = LinkedSiteProcesses.freePort();
        cappedPort = LinkedSiteProcesses.freePort();
        httpPort = LinkedSiteProcesses.freePort();
        router = RouterProcess.builder("listener-floods").config(RouterProcess.minimalConfig("floods")
                + "tcpListeners:\n"
                + "  - {name: echo, routingKey: echo, port: " + tcpPort + "}\n"
                + "  - {name: capped, routingKey: echo, port: " + cappedPort + ", maxConnections: " + CAPPED + "}\n"
                + "tcpConnectors: [{name: echo, routingKey: echo, port: " + echo.port() + "}]\n"
                + "httpListeners: [{name: web, routingKey: web, port: " + httpPort + ", maxHeaderSize: 8KiB, headerTimeout: "
                + HEADER_TIMEOUT.toSeconds() + "s}]\n"
                + "httpConnectors: [{name: web, routingKey: web, port: " + web.getAddress().getPort() + "}]\n")
            .jvmArgs("-Xmx256m", "-XX:+ExitOnOutOfMemoryError")
            .start();
        memory = new MemorySampler(router, Duration.ofMillis(500));
        await("both keys reachable").atMost(Duration.ofSeconds(20)).until(() ->
            router.logText().contains("tcpListener 'echo': routing key 'echo' is reachable")
                && router.logText().contains("httpListener 'web': routing key 'web' is reachable"));
    }

    @AfterAll
    void stop() {
        if (memory != null) {
            memory.close();
            figures.add("router memory over the whole class", "%s", memory.summary());
        }
        figures.write();
        if (router != null) {
            router.close();
        }
        if (echo != null) {
            echo.close();
        }
        if (web != null) {
            web.stop(0);
        }
    }

    @Test
    void halfOpenFlowsDoNotStopTheTcpListenerAndAreGivenBack() throws Exception {
        int filesBefore = router.openFiles();
        List<Socket> flood = new ArrayList<>();
        try {
            long start = System.nanoTime();
            for (int i = 0; i < HALF_OPEN; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", tcpPort), 10_000);
                flood.add(socket);   // connected, never written to
            }
            double connectSeconds = (System.nanoTime() - start) / 1e9;
            // each flow holds at least its accepted socket in the router
            await("the router holds every flow").atMost(Duration.ofSeconds(60))
                .until(() -> router.openFiles() >= filesBefore + HALF_OPEN);
            long echoNanos = echoRoundTrip(tcpPort, 64 * 1024);
            memory.sample();
            figures.add("half-open TCP flows held", "%d (connected in %.1f s)", HALF_OPEN, connectSeconds)
                .add("router open files: before / during the flood", "%d / %d", filesBefore, router.openFiles())
                .add("64 KiB echo through the same listener during the flood", "%.1f ms", echoNanos / 1e6)
                .add("router RSS during the flood", "%.1f MiB", MemorySampler.mib(router.rssBytes()));
            assertThat(router.isAlive()).isTrue();
        } finally {
            for (Socket socket : flood) {
                socket.close();
            }
        }
        await("the flows of the flood end, and their sockets with them").atMost(Duration.ofSeconds(60))
            .until(() -> router.openFiles() <= filesBefore + FD_SLACK);
        figures.add("router open files after the flood", "%d", router.openFiles());
    }

    @Test
    void connectionsPastMaxConnectionsAreResetAndLogged() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < CAPPED; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", cappedPort), 10_000);
                held.add(socket);
            }
            // the held ones are flows: the last of them still echoes
            Socket last = held.get(CAPPED - 1);
            last.setSoTimeout(10_000);
            last.getOutputStream().write('x');
            assertThat(last.getInputStream().read()).isEqualTo('x');

            assertThat(refusedAtOnce(cappedPort)).as("the connection past the limit is refused").isTrue();
            await("the refusal logged").atMost(Duration.ofSeconds(10)).until(() -> router.logText()
                .contains("tcpListener 'capped' refused a connection from /127.0.0.1:")
                && router.logText().contains("limit of " + CAPPED + " connections reached"));
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        await("room again once the held connections close").atMost(Duration.ofSeconds(20))
            .until(() -> echoesOn(cappedPort));
    }

    @Test
    void slowlorisAndSilentHttpConnectionsAreCutOffAtTheHeaderTimeoutWhileOthersAreServed() throws Exception {
        int filesBefore = router.openFiles();
        List<Socket> slow = new ArrayList<>();
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < SLOWLORIS; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", httpPort), 10_000);
                socket.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                slow.add(socket);
                Socket quiet = new Socket();
                quiet.connect(new InetSocketAddress("127.0.0.1", httpPort), 10_000);
                silent.add(quiet);
            }
            // the slowloris pace: one more header byte on each connection every 250 ms, until the router closes them
            long start = System.nanoTime();
            int served = 0;
            int dripped = 0;
            long worstNanos = 0;
            while (System.nanoTime() - start < HEADER_TIMEOUT.toNanos() + 3_000_000_000L) {
                for (Socket socket : slow) {
                    try {
                        socket.getOutputStream().write('a');
                        dripped++;
                    } catch (IOException closedByTheRouter) {
                        // expected once the header timeout has passed
                    }
                }
                long t = System.nanoTime();
                assertThat(get("/hello")).as("a well-behaved client during the slowloris").startsWith("HTTP/1.1 200");
                worstNanos = Math.max(worstNanos, System.nanoTime() - t);
                served++;
                Thread.sleep(250);   // the attack's pace, not a synchronisation
            }
            int cutOff = 0;
            for (Socket socket : slow) {
                cutOff += closedByPeer(socket) ? 1 : 0;
            }
            for (Socket socket : silent) {
                cutOff += closedByPeer(socket) ? 1 : 0;
            }
            memory.sample();
            figures.add("slowloris + silent HTTP connections", "%d + %d, headerTimeout %d s", SLOWLORIS, SLOWLORIS,
                    HEADER_TIMEOUT.toSeconds())
                .add("closed by the router within headerTimeout + 3 s", "%d of %d", cutOff, 2 * SLOWLORIS)
                .add("well-behaved requests meanwhile", "%d, all 200, slowest %.1f ms", served, worstNanos / 1e6)
                .add("header bytes dripped", "%d", dripped);
            assertThat(cutOff).isEqualTo(2 * SLOWLORIS);
        } finally {
            slow.forEach(ServiceListenerFloodIT::closeQuietly);
            silent.forEach(ServiceListenerFloodIT::closeQuietly);
        }
        await("the router's descriptors back to their baseline").atMost(Duration.ofSeconds(30))
            .until(() -> router.openFiles() <= filesBefore + FD_SLACK);
    }

    @Test
    void oversizedHeadersGet431AndTheListenerServesOthers() throws Exception {
        String big = "X-Big: " + "b".repeat(9000) + "\r\n";
        String answer = exchange("GET /hello HTTP/1.1\r\nHost: x\r\n" + big + "\r\n");
        assertThat(answer).startsWith("HTTP/1.1 431").contains("larger than 8192 bytes");
        String manyHeaders = "X-H: v\r\n".repeat(2000);
        assertThat(exchange("GET /hello HTTP/1.1\r\nHost: x\r\n" + manyHeaders + "\r\n")).startsWith("HTTP/1.1 431");
        assertThat(exchange("GET /" + "u".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 414");
        assertThat(get("/hello")).startsWith("HTTP/1.1 200");
        figures.add("oversized head / many headers / long request line", "431 / 431 / 414");
    }

    // ----- clients

    private static long echoRoundTrip(int port, int size) throws IOException {
        byte[] payload = new byte[size];
        ThreadLocalRandom.current().nextBytes(payload);
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(payload);
            byte[] back = socket.getInputStream().readNBytes(size);
            assertThat(Arrays.equals(back, payload)).as("the echo came back whole").isTrue();
        }
        return System.nanoTime() - start;
    }

    private static boolean echoesOn(int port) {
        try {
            echoRoundTrip(port, 16);
            return true;
        } catch (IOException | AssertionError e) {
            return false;
        }
    }

    private String get(String path) throws IOException {
        return exchange("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }

    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", httpPort), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return readUntilClosed(socket.getInputStream());
        }
    }

    /** What the peer sent until it closed; a reset after it (we had unread bytes on its side) ends it too. */
    private static String readUntilClosed(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketException reset) {
            // the answer, if any, came before it
        }
        return text.toString();
    }

    /** Whether the router has ended the connection: reading reaches the end or a reset, rather than blocking. */
    private static boolean closedByPeer(Socket socket) {
        try {
            socket.setSoTimeout(2000);
            return readsResetOrEnd(socket);
        } catch (IOException e) {
            return true;
        }
    }

    /** Connects and reads: true when the listener resets or ends the connection (at whichever step that shows). */
    private static boolean refusedAtOnce(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            return readsResetOrEnd(socket);
        } catch (SocketException reset) {
            return true;
        }
    }

    private static boolean readsResetOrEnd(Socket socket) throws IOException {
        try {
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // a 408 or 503, then the end
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all that is left to do
        }
    }
}
