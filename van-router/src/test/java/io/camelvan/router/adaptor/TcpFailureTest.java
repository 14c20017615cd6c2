package io.camelvan.router.adaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.DeliveryState;
import org.apache.qpid.protonj2.client.StreamSender;
import org.apache.qpid.protonj2.client.StreamSenderMessage;
import org.apache.qpid.protonj2.client.StreamTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.router.config.ServiceType;

/** What a TCP client sees when a connector's server refuses, or a connector or its router goes away. */
class TcpFailureTest {

    @TempDir
    Path dir;

    @Test
    void aFlowRefusedByOneConnectorsServerIsSentToAnother() throws Exception {
        int refusing = LinkedSites.freePort();
        try (EchoServer echo = new EchoServer(); LinkedSites sites = new LinkedSites(dir)) {
            // the local connector costs nothing, so it is chosen first; its server is not there
            LinkedSites.Site west = sites.site("west").with("tcpListeners: [{name: echo, routingKey: echo, port: 0}]")
                .with("tcpConnectors: [{name: dead, routingKey: echo, port: " + refusing + "}]");
            sites.site("east").with("tcpConnectors: [{name: echo, routingKey: echo, port: " + echo.port() + "}]");
            sites.link("west", "east").startAll();
            await().atMost(Duration.ofSeconds(15)).until(() -> west.consumersOf("echo") == 2);

            for (int i = 0; i < 10; i++) {
                byte[] payload = Payloads.random(10_000, i);
                try (Socket socket = new Socket("127.0.0.1", west.tcpPort("echo"))) {
                    assertThat(Payloads.exchange(socket, payload).sha256()).isEqualTo(Payloads.sha256(payload));
                }
            }
            assertThat(echo.accepted()).isEqualTo(10);
        }
    }

    @Test
    void whenTheConnectorIsDeletedMidFlowTheClientSeesAClose() throws Exception {
        try (EchoServer server = new EchoServer(TestServers.HELLO_AND_WAIT); LinkedSites sites = twoSites(server)) {
            try (Socket socket = new Socket("127.0.0.1", sites.site("west").tcpPort("hello"))) {
                socket.setSoTimeout(15_000);
                assertThat(TestServers.readLine(socket)).isEqualTo("hello");

                sites.site("east").router.adaptors().delete(ServiceType.TCP_CONNECTOR, "hello");

                assertClosed(socket);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.open() == 0);
        }
    }

    @Test
    void whenTheConnectorsRouterStopsMidFlowTheClientSeesAClose() throws Exception {
        try (EchoServer server = new EchoServer(TestServers.HELLO_AND_WAIT); LinkedSites sites = twoSites(server)) {
            try (Socket socket = new Socket("127.0.0.1", sites.site("west").tcpPort("hello"))) {
                socket.setSoTimeout(15_000);
                assertThat(TestServers.readLine(socket)).isEqualTo("hello");

                sites.site("east").stop();

                assertClosed(socket);
            }
        }
    }

    @Test
    void whenTheClientGoesAwayTheServerConnectionIsClosed() throws Exception {
        try (EchoServer server = new EchoServer(TestServers.HELLO_AND_WAIT); LinkedSites sites = twoSites(server)) {
            Socket socket = new Socket("127.0.0.1", sites.site("west").tcpPort("hello"));
            assertThat(TestServers.readLine(socket)).isEqualTo("hello");
            assertThat(server.open()).isEqualTo(1);

            socket.setSoLinger(true, 0);
            socket.close();

            await().atMost(Duration.ofSeconds(10)).until(() -> server.open() == 0);
        }
    }

    @Test
    void flowsCutShortInTheMiddleLeaveNothingStuckForTheNextOnes() throws Exception {
        try (EchoServer stopper = new EchoServer(TestServers.READ_SOME_AND_CLOSE); EchoServer echo = new EchoServer();
                LinkedSites sites = new LinkedSites(dir)) {
            LinkedSites.Site west = sites.site("west").with("tcpListeners: [{name: stop, routingKey: stop, port: 0}, "
                + "{name: echo, routingKey: echo, port: 0}]");
            sites.site("east").with("tcpConnectors: [{name: stop, routingKey: stop, port: " + stopper.port() + "}, "
                + "{name: echo, routingKey: echo, port: " + echo.port() + "}]");
            sites.link("west", "east").startAll();
            await().atMost(Duration.ofSeconds(15)).until(() -> west.reaches("stop") && west.reaches("echo"));
            byte[] large = Payloads.random(20 << 20, 5);

            // each of these is cut short half-way: the server stops reading, and the stream that was
            // carrying the client's bytes between the routers is aborted or settled early
            for (int i = 0; i < 3; i++) {
                try (Socket socket = new Socket("127.0.0.1", west.tcpPort("stop"))) {
                    socket.setSoTimeout(30_000);
                    Payloads.Received received = exchangeOrFail(socket, large);
                    assertThat(received == null || received.length() == 0).isTrue();
                }
            }
            // later streams larger than a session window reuse what those used
            for (int i = 0; i < 3; i++) {
                try (Socket socket = new Socket("127.0.0.1", west.tcpPort("echo"))) {
                    socket.setSoTimeout(30_000);
                    assertThat(Payloads.exchange(socket, large).sha256()).isEqualTo(Payloads.sha256(large));
                }
            }
        }
    }

    /** What came back, or null when the exchange failed (a reset): either way the client is not left hanging. */
    private static Payloads.Received exchangeOrFail(Socket socket, byte[] payload) {
        try {
            return Payloads.exchange(socket, payload);
        } catch (Exception e) {
            // a reset seen by the read is thrown as it is, one seen by the writer thread comes wrapped
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertThat(root).isInstanceOf(IOException.class).isNotInstanceOf(SocketTimeoutException.class);
            return null;
        }
    }

    /**
     * A flow whose reply can never go back (here a client of its own names a reply address nobody
     * consumes): the connector gives up after its wait, and its verdict must reach the sender across
     * the link although the sender is still in the middle of streaming the request.
     */
    @Test
    void aFlowWhoseReplyCannotBeRoutedIsSettledForTheSenderMidStream() throws Exception {
        try (EchoServer server = new EchoServer(); LinkedSites sites = twoSites(server); Client client = Client.create()) {
            Connection connection = client.connect("127.0.0.1", sites.site("west").amqpPort);
            StreamSender sender = connection.openStreamSender("hello");
            StreamSenderMessage message = sender.beginMessage();
            message.replyTo("nobody.listens.here");
            OutputStream body = message.body();
            body.write(new byte[100]);
            body.flush(); // the first bytes go, the message stays open
            ServiceConsumer connector = (ServiceConsumer) sites.site("east").router.adaptors()
                .get(ServiceType.TCP_CONNECTOR, "hello");
            await().atMost(Duration.ofSeconds(10)).until(() -> connector.outstanding() == 1);
            await().atMost(Duration.ofMillis(ReplyRoute.WAIT_MS + 10_000)).until(() -> connector.outstanding() == 0);

            // the sender's client shows a tracker only once the message is complete; the verdict is
            // already there, and the last bytes go to a delivery the other side has finished with
            message.complete();
            StreamTracker tracker = message.tracker();
            tracker.settlementFuture().get(10, TimeUnit.SECONDS);
            assertThat(tracker.remoteState().getType()).as("the connector's verdict: delivery failed").isEqualTo(DeliveryState.Type.MODIFIED);
            assertThat(server.accepted()).isZero();
        }
    }

    private LinkedSites twoSites(EchoServer server) {
        LinkedSites sites = new LinkedSites(dir);
        LinkedSites.Site west = sites.site("west").with("tcpListeners: [{name: hello, routingKey: hello, port: 0}]");
        sites.site("east").with("tcpConnectors: [{name: hello, routingKey: hello, port: " + server.port() + "}]");
        sites.link("west", "east").startAll();
        await().atMost(Duration.ofSeconds(15)).until(() -> west.reaches("hello"));
        return sites;
    }

    /** The socket ends (end of stream or reset) well before its read timeout: a close, not a hang. */
    private static void assertClosed(Socket socket) throws IOException {
        try {
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the client was left hanging", e);
        } catch (IOException reset) {
            assertThat(reset).hasMessageContaining("reset");
        }
    }
}
