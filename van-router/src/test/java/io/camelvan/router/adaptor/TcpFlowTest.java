package io.camelvan.router.adaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.camelvan.router.config.ServiceType;
import io.camelvan.router.config.TcpConnectorConfig;

/**
 * TCP flows through two routers linked with mutual TLS: tcpListeners on west, tcpConnectors on east
 * to real servers (echo, a digest of what was sent, a server that speaks and closes first).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpFlowTest {

    private final CountDownLatch slowServerReads = new CountDownLatch(1);
    private EchoServer echo;
    private EchoServer digest;
    private EchoServer slow;
    private EchoServer hello;
    private LinkedSites sites;
    private LinkedSites.Site west;
    private LinkedSites.Site east;

    @BeforeAll
    void startSites(@TempDir Path dir) throws Exception {
        echo = new EchoServer();
        digest = new EchoServer(TestServers.digestAfterEnd(new CountDownLatch(0)));
        slow = new EchoServer(TestServers.digestAfterEnd(slowServerReads));
        hello = new EchoServer(TestServers.HELLO_AND_CLOSE);
        sites = new LinkedSites(dir);
        west = sites.site("west").with("""
            tcpListeners:
              - {name: echo, routingKey: echo, port: 0}
              - {name: digest, routingKey: digest, port: 0}
              - {name: slow, routingKey: slow, port: 0}
              - {name: hello, routingKey: hello, port: 0}
              - {name: later, routingKey: later, port: 0}
            """);
        east = sites.site("east").with("tcpConnectors:\n"
            + "  - {name: echo, routingKey: echo, port: " + echo.port() + "}\n"
            + "  - {name: digest, routingKey: digest, port: " + digest.port() + "}\n"
            + "  - {name: slow, routingKey: slow, port: " + slow.port() + "}\n"
            + "  - {name: hello, routingKey: hello, port: " + hello.port() + "}\n");
        sites.link("west", "east").startAll();
        await().atMost(Duration.ofSeconds(15)).until(() -> west.reaches("echo") && west.reaches("hello"));
    }

    @AfterAll
    void stop() throws Exception {
        sites.close();
        for (EchoServer server : List.of(echo, digest, slow, hello)) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1000, 65537, 1 << 20, 50_000_000})
    void everyByteComesBackInOrder(int size) throws Exception {
        byte[] payload = Payloads.random(size, size);
        try (Socket socket = new Socket("127.0.0.1", west.tcpPort("echo"))) {
            Payloads.Received received = Payloads.exchange(socket, payload);
            assertThat(received.length()).isEqualTo(size);
            assertThat(received.sha256()).isEqualTo(Payloads.sha256(payload));
        }
    }

    @Test
    void twoHundredConcurrentFlowsEachGetTheirOwnBytes() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(200);
        try {
            List<Future<Boolean>> flows = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int size = 1 + (i * 7919) % (256 * 1024);
                byte[] payload = Payloads.random(size, i);
                flows.add(clients.submit(() -> {
                    try (Socket socket = new Socket("127.0.0.1", west.tcpPort("echo"))) {
                        return Payloads.exchange(socket, payload).sha256().equals(Payloads.sha256(payload));
                    }
                }));
            }
            for (Future<Boolean> flow : flows) {
                assertThat(flow.get()).isTrue();
            }
        } finally {
            clients.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> echo.open() == 0);
    }

    @Test
    void aClientThatHalfClosesStillReceivesTheWholeReply() throws Exception {
        byte[] payload = Payloads.random(300_000, 42);
        try (Socket socket = new Socket("127.0.0.1", west.tcpPort("digest"))) {
            socket.getOutputStream().write(payload);
            socket.shutdownOutput();
            // the server answers only once it has seen the end of the client's bytes
            assertThat(TestServers.readLine(socket)).isEqualTo(Payloads.sha256(payload));
        }
    }

    @Test
    void whenTheServerClosesFirstTheClientSeesTheEnd() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", west.tcpPort("hello"))) {
            socket.setSoTimeout(10_000);
            assertThat(TestServers.readLine(socket)).isEqualTo("hello");
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aServerThatReadsSlowlyBlocksTheClientWithBoundedBuffers() throws Exception {
        AtomicLong written = new AtomicLong();
        byte[] payload = Payloads.random(128 * 1024 * 1024, 7);
        try (Socket socket = new Socket("127.0.0.1", west.tcpPort("slow"))) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int at = 0; at < payload.length; at += 64 * 1024) {
                        out.write(payload, at, 64 * 1024);
                        written.addAndGet(64 * 1024);
                    }
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, Executors.newSingleThreadExecutor());
            long[] last = {-1};
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                long now = written.get();
                boolean stalled = now > 0 && now == last[0];
                last[0] = now;
                return stalled;
            });
            // two sockets' kernel buffers each way plus the routers' bounded share: far below the payload
            assertThat(written.get()).isLessThan(48L * 1024 * 1024);
            assertThat(writer).isNotDone();

            slowServerReads.countDown();
            writer.get();
            assertThat(TestServers.readLine(socket)).isEqualTo(Payloads.sha256(payload));
        }
    }

    @Test
    void aListenerRefusesWhileNoConnectorIsReachableAndAcceptsOnceOneIs() throws Exception {
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket("127.0.0.1", west.tcpPort("later"))) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(1);
                if (socket.getInputStream().read() < 0) {
                    throw new IOException("closed");
                }
            }
        }).isInstanceOf(IOException.class);

        east.router.adaptors().create(new TcpConnectorConfig("later", "later", null, echo.port()));
        await().atMost(Duration.ofSeconds(10)).until(() -> west.reaches("later"));
        try (Socket socket = new Socket("127.0.0.1", west.tcpPort("later"))) {
            byte[] payload = "once a connector exists".getBytes(StandardCharsets.US_ASCII);
            assertThat(Payloads.exchange(socket, payload).sha256()).isEqualTo(Payloads.sha256(payload));
        }
        east.router.adaptors().delete(ServiceType.TCP_CONNECTOR, "later");
        await().atMost(Duration.ofSeconds(10)).until(() -> !west.reaches("later"));
    }
}
