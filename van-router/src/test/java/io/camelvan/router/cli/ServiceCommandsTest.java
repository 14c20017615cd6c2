package io.camelvan.router.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.router.Router;
import io.camelvan.router.config.ConfigLoader;
import io.camelvan.router.config.ServiceType;
import io.camelvan.router.testing.FreePorts;

/**
 * {@code listener} and {@code connector} create / delete / list against a running router: the
 * router changes at once, the site file keeps the change across a restart, and mistakes and a
 * router that is down give the documented exit codes.
 */
class ServiceCommandsTest {

    @TempDir
    Path dir;

    private Path file;
    private Router router;
    private ServerSocket echoServer;

    private CliRun run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = file.toString();
        return CliRun.of(all);
    }

    @BeforeEach
    void startRouter() throws Exception {
        int amqpPort = FreePorts.next();
        file = dir.resolve("site.yaml");
        Files.writeString(file, "site: west\nlisteners:\n  - {name: amqp, host: 127.0.0.1, port: " + amqpPort + "}\n");
        router = Router.start(ConfigLoader.load(file));
        echoServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread echo = new Thread(() -> {
            while (!echoServer.isClosed()) {
                try (Socket s = echoServer.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (IOException e) {
                    return;
                }
            }
        }, "test-echo");
        echo.setDaemon(true);
        echo.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (router != null) {
            router.close();
        }
        echoServer.close();
    }

    @Test
    void aListenerAndAConnectorCreatedAtRunTimeCarryFlowsAndSurviveARestart() throws Exception {
        CliRun connector = run("connector", "create", "--type", "tcp", "--name", "echo", "--port", Integer.toString(echoServer.getLocalPort()));
        assertThat(connector.code()).as(connector.err()).isZero();
        CliRun listener = run("listener", "create", "--type", "tcp", "--name", "echo", "--routing-key", "echo", "--port", "0");
        assertThat(listener.code()).as(listener.err()).isZero();
        assertThat(listener.out()).contains("Created tcpListener 'echo' for routing key 'echo' listening on 127.0.0.1:");

        assertThat(echoThrough(boundPort(listener.out()))).isEqualTo("over the listener made at run time");
        assertThat(ConfigLoader.load(file).tcpListeners()).hasSize(1);
        assertThat(ConfigLoader.load(file).tcpConnectors()).hasSize(1);

        CliRun list = run("listener", "list");
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains("TYPE").containsPattern("tcp\\s+echo\\s+echo\\s+127.0.0.1\\s+\\d+\\s+0\\s+true");

        router.close();
        router = Router.start(ConfigLoader.load(file));
        assertThat(router.adaptors().list(ServiceType.TCP_LISTENER)).hasSize(1);
        assertThat(router.adaptors().list(ServiceType.TCP_CONNECTOR)).hasSize(1);
    }

    @Test
    void aDeletedListenerClosesItsPortAndLeavesTheFile() throws Exception {
        assertThat(run("connector", "create", "--type", "tcp", "--name", "echo", "--port",
            Integer.toString(echoServer.getLocalPort())).code()).isZero();
        CliRun created = run("listener", "create", "--type", "tcp", "--name", "echo", "--port", "0");
        int port = boundPort(created.out());

        CliRun deleted = run("listener", "delete", "--type", "tcp", "--name", "echo");

        assertThat(deleted.code()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("Deleted tcpListener 'echo'").contains("removed from " + file);
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        assertThat(ConfigLoader.load(file).tcpListeners()).isEmpty();
        // the router follows the file as well: the edit it sees does not bring the listener back
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
            .until(() -> router.adaptors().list(ServiceType.TCP_LISTENER).isEmpty());
        assertThat(run("listener", "list").out()).isEqualTo("No listeners.\n");
    }

    @Test
    void httpEntriesAreCreatedToo() {
        CliRun created = run("connector", "create", "--type", "http", "--name", "api", "--host", "localhost", "--port", "8080");

        assertThat(created.code()).as(created.err()).isZero();
        assertThat(run("connector", "list", "--type", "http").out()).containsPattern("http\\s+api\\s+api\\s+localhost\\s+8080");
        assertThat(ConfigLoader.load(file).httpConnectors().get(0).host()).isEqualTo("localhost");
    }

    @Test
    void badInputExitsWithTwoAndChangesNothing() throws Exception {
        String before = Files.readString(file);

        CliRun badPort = run("listener", "create", "--type", "tcp", "--name", "db", "--port", "70000");
        CliRun badType = run("listener", "create", "--type", "udp", "--name", "db", "--port", "1");
        CliRun reserved = run("connector", "create", "--type", "tcp", "--name", "db", "--routing-key", "_van/x", "--port", "1");
        CliRun missing = run("listener", "delete", "--type", "tcp", "--name", "nothing");

        assertThat(badPort.code()).isEqualTo(2);
        assertThat(badPort.err()).contains("--port: 70000 is not a port");
        assertThat(badType.code()).isEqualTo(2);
        assertThat(badType.err()).contains("--type: 'udp' is not a service type (tcp, http)");
        assertThat(reserved.code()).isEqualTo(2);
        assertThat(reserved.err()).contains("--routing-key: '_van/x'");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("there is no tcpListener named 'nothing'");
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void aNameTakenOrAPortInUseIsRefusedByTheRouterWithTwo() throws Exception {
        assertThat(run("listener", "create", "--type", "tcp", "--name", "db", "--port", "0").code()).isZero();
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun taken = run("listener", "create", "--type", "tcp", "--name", "db", "--port", "0");
            CliRun inUse = run("listener", "create", "--type", "tcp", "--name", "other", "--port", Integer.toString(busy.getLocalPort()));

            assertThat(taken.code()).isEqualTo(2);
            assertThat(taken.err()).contains("there is already an entry named 'db'");
            assertThat(inUse.code()).isEqualTo(2);
            assertThat(inUse.err()).contains("the router refused").contains("cannot listen on 127.0.0.1:" + busy.getLocalPort());
        }
        assertThat(ConfigLoader.load(file).tcpListeners()).extracting(e -> e.name()).containsExactly("db");
    }

    @Test
    void aRouterThatIsDownExitsWithOneAndTheFileStaysAsItWas() throws Exception {
        router.close();
        router = null;
        String before = Files.readString(file);

        CliRun created = run("listener", "create", "--type", "http", "--name", "api", "--port", "0");

        assertThat(created.code()).isEqualTo(1);
        assertThat(created.err()).contains("cannot reach the router of site 'west'").contains("is it running?");
        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(run("connector", "list").code()).isEqualTo(1);
    }

    private static int boundPort(String createOutput) {
        Matcher m = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(createOutput);
        assertThat(m.find()).as(createOutput).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String echoThrough(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("over the listener made at run time".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
