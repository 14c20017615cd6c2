package io.camelvan.router.adaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.router.config.ServiceType;

/**
 * HTTP through routers linked with mutual TLS, with curl as the client and the JDK's HTTP server
 * as the servers: an httpListener on west, httpConnectors on east and north.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpServiceTest {

    private TestHttpServer eastServer;
    private TestHttpServer northServer;
    private EchoServer failingServer;
    private EchoServer upgradingServer;
    private LinkedSites sites;
    private LinkedSites.Site west;
    private Path dir;

    @BeforeAll
    void startSites(@TempDir Path tmp) throws Exception {
        dir = tmp;
        eastServer = new TestHttpServer("east");
        northServer = new TestHttpServer("north");
        failingServer = new EchoServer(TestServers.READ_HEAD_AND_CLOSE);
        upgradingServer = new EchoServer(TestServers.UPGRADE_THEN_ECHO);
        sites = new LinkedSites(dir.resolve("sites"));
        west = sites.site("west").with("""
            httpListeners:
              - {name: api, routingKey: api, port: 0, maxRequestSize: 1MiB}
              - {name: nowhere, routingKey: nowhere, port: 0}
              - {name: broken, routingKey: broken, port: 0}
              - {name: ws, routingKey: ws, port: 0}
              - {name: guarded, routingKey: api, port: 0, maxHeaderSize: 4KiB, headerTimeout: 1s}
              - {name: small, routingKey: api, port: 0, maxConnections: 3}
            """);
        sites.site("east").with("httpConnectors:\n"
            + "  - {name: api, routingKey: api, port: " + eastServer.port() + "}\n"
            + "  - {name: broken, routingKey: broken, port: " + failingServer.port() + "}\n"
            + "  - {name: ws, routingKey: ws, port: " + upgradingServer.port() + "}\n");
        sites.site("north").with("httpConnectors: [{name: api, routingKey: api, port: " + northServer.port() + "}]");
        sites.link("west", "east").link("west", "north").startAll();
        await().atMost(Duration.ofSeconds(20)).until(() -> west.consumersOf("api") == 2 && west.reaches("broken")
            && west.reaches("ws"));
    }

    @AfterAll
    void stop() throws Exception {
        sites.close();
        eastServer.close();
        northServer.close();
        failingServer.close();
        upgradingServer.close();
    }

    private String url(String listener, String path) {
        return "http://127.0.0.1:" + west.httpPort(listener) + path;
    }

    @Test
    void curlIsAnsweredByAServerOnAnotherSite() throws Exception {
        Curl.Result result = Curl.run(dir, "--include", url("api", "/hello"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("HTTP/1.1 200 OK").containsPattern("(?i)x-site: (east|north)")
            .containsPattern("(?i)content-type: text/plain").containsPattern("hello from (east|north)$");
    }

    @Test
    void theRequestsOfOneKeepAliveConnectionAreServedOnBothSites() throws Exception {
        List<String> args = new ArrayList<>(List.of("--write-out", "|%{num_connects}\\n"));
        for (int i = 0; i < 20; i++) {
            args.add(url("api", "/hello?i=" + i));
        }

        long eastOpened = serverConnectionsOpened("east");
        long northOpened = serverConnectionsOpened("north");

        Curl.Result result = Curl.run(dir, args.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(serverConnectionsOpened("east") - eastOpened).as("east's connections to its server: a keep-alive pool")
            .isLessThanOrEqualTo(1);
        assertThat(serverConnectionsOpened("north") - northOpened).isLessThanOrEqualTo(1);
        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(20);
        assertThat(lines.stream().mapToInt(l -> Integer.parseInt(l.substring(l.indexOf('|') + 1))).sum())
            .as("connections curl opened for the 20 requests").isEqualTo(1);
        assertThat(lines).anyMatch(l -> l.startsWith("hello from east")).anyMatch(l -> l.startsWith("hello from north"));
    }

    private long serverConnectionsOpened(String site) {
        return ((Number) sites.site(site).router.adaptors().get(ServiceType.HTTP_CONNECTOR, "api").status()
            .get("connectionsOpened")).longValue();
    }

    @Test
    void chunkedRequestAndResponseBodiesCrossWhole() throws Exception {
        byte[] body = Payloads.random(300_000, 3);
        Path file = dir.resolve("chunked-body");
        Files.write(file, body);
        Path received = dir.resolve("chunked-received");
        Path headers = dir.resolve("chunked-headers");

        Curl.Result result = Curl.run(dir, "--header", "Transfer-Encoding: chunked", "--data-binary", "@" + file,
            "--dump-header", headers.toString(), "--output", received.toString(), url("api", "/echo?chunked"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Files.readString(headers)).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
        assertThat(Payloads.sha256(Files.readAllBytes(received))).isEqualTo(Payloads.sha256(body));
    }

    @Test
    void aBodyWithALengthCrossesWhole() throws Exception {
        byte[] body = Payloads.random(700_000, 4);
        Path file = dir.resolve("length-body");
        Files.write(file, body);

        Curl.Result result = Curl.run(dir, "--data-binary", "@" + file, url("api", "/sha"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo(Payloads.sha256(body));
    }

    @Test
    void aSmallResponseWhoseBodyComesAfterItsHeadCrossesWhole() throws Exception {
        // the connector waits for the body its content-length announces, then sends the response as one message
        Curl.Result result = Curl.run(dir, "--include", url("api", "/late?ms=300"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("HTTP/1.1 200 OK").containsPattern("(?i)content-length: 1[45]")
            .containsPattern("late from (east|north)$");
    }

    @Test
    void aRequestOverTheSizeLimitGets413() throws Exception {
        Path file = dir.resolve("too-large");
        Files.write(file, new byte[(1 << 20) + 1]);

        Curl.Result withLength = Curl.run(dir, "--write-out", "%{http_code}", "--output", "/dev/null",
            "--data-binary", "@" + file, url("api", "/sha"));
        Curl.Result chunked = Curl.run(dir, "--write-out", "%{http_code}", "--output", "/dev/null",
            "--header", "Transfer-Encoding: chunked", "--data-binary", "@" + file, url("api", "/sha"));

        assertThat(withLength.out()).isEqualTo("413");
        assertThat(chunked.out()).isEqualTo("413");
    }

    @Test
    void noReachableServerGets503() throws Exception {
        Curl.Result result = Curl.run(dir, "--include", url("nowhere", "/x"));

        assertThat(result.out()).startsWith("HTTP/1.1 503").contains("no server for 'nowhere' is reachable");
    }

    @Test
    void aServerThatFailsBeforeAnsweringGets502() throws Exception {
        Curl.Result result = Curl.run(dir, "--include", url("broken", "/x"));

        assertThat(result.out()).startsWith("HTTP/1.1 502");
    }

    @Test
    void aMalformedRequestGets400AndTheListenerServesOthers() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", west.httpPort("api"))) {
            socket.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\nbad header line\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(10_000);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("connection: close");
        }
        try (Socket socket = new Socket("127.0.0.1", west.httpPort("api"))) {
            socket.getOutputStream().write("GET /hello HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(10_000);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("needs a Host header");
        }
        assertThat(Curl.run(dir, url("api", "/hello")).out()).startsWith("hello from");
    }

    @Test
    void hopByHopHeadersStayOnTheirHopAndHostIsTheClients() throws Exception {
        Curl.Result result = Curl.run(dir, "--header", "Connection: keep-alive, X-Drop", "--header", "X-Drop: 1",
            "--header", "Keep-Alive: timeout=5", "--header", "X-Keep: yes", "--header", "Proxy-Authorization: secret",
            url("api", "/headers"));

        assertThat(result.out()).contains("x-keep: yes").contains("host: 127.0.0.1:" + west.httpPort("api"))
            .doesNotContain("x-drop").doesNotContain("keep-alive").doesNotContain("proxy-authorization");
    }

    @Test
    void anOfferOfHttp2OverCleartextIsDeclinedAndTheRequestServedPerRequest() throws Exception {
        // curl --http2 on http:// asks to upgrade to h2c, as the JDK's HttpClient does on every first request
        Curl.Result result = Curl.run(dir, "--http2", "--include", url("api", "/headers"), url("api", "/hello"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("HTTP/1.1 200 OK").doesNotContain("101 Switching")
            .doesNotContainIgnoringCase("upgrade: h2c").doesNotContainIgnoringCase("http2-settings")
            .containsPattern("hello from (east|north)");
    }

    @Test
    void connectionCloseClosesAfterTheResponse() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", west.httpPort("api"))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close").contains("hello from");
        }
    }

    @Test
    void pipelinedResponsesComeBackInTheOrderOfTheRequests() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", west.httpPort("api"))) {
            socket.setSoTimeout(10_000);
            String requests = "GET /slow?ms=400&n=1 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /slow?ms=0&n=2 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /slow?ms=100&n=3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answers.split("HTTP/1.1 200")).hasSize(4);
            assertThat(answers.indexOf("n=1")).isLessThan(answers.indexOf("n=2"));
            assertThat(answers.indexOf("n=2")).isLessThan(answers.indexOf("n=3"));
        }
    }

    @Test
    void anUpgradedConnectionCarriesTheNewProtocolBothWays() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", west.httpPort("ws"))) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
            String head = TestServers.readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101").contains("Upgrade: echo");

            out.write("ping over the new protocol".getBytes(StandardCharsets.US_ASCII));
            byte[] echoed = in.readNBytes("ping over the new protocol".length());
            assertThat(new String(echoed, StandardCharsets.US_ASCII)).isEqualTo("ping over the new protocol");
            socket.shutdownOutput();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void manyConcurrentRequestsAreAllAnswered() throws Exception {
        String[] urls = new String[50];
        Arrays.setAll(urls, i -> url("api", "/echo?i=" + i));
        List<String> args = new ArrayList<>(List.of("--parallel", "--parallel-max", "25", "--data", "x"));
        args.addAll(List.of(urls));

        Curl.Result result = Curl.run(dir, args.toArray(String[]::new));

        assertThat(result.exitCode()).as(() -> result.err() + sites.describeAdaptors()).isZero();
        assertThat(result.out()).isEqualTo("x".repeat(50));
    }

    @Test
    void oversizedHeadersGet431AndAnOverlongRequestLine414() throws Exception {
        String bigHeader = "X-Big: " + "a".repeat(5000) + "\r\n";
        assertThat(rawExchange("guarded", "GET /hello HTTP/1.1\r\nHost: x\r\n" + bigHeader + "\r\n"))
            .startsWith("HTTP/1.1 431").contains("headers are larger than 4096 bytes");
        assertThat(rawExchange("guarded", "GET /" + "p".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n"))
            .startsWith("HTTP/1.1 414");
        assertThat(rawExchange("guarded", "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
            .startsWith("HTTP/1.1 200").contains("hello from");
    }

    @Test
    void aSlowlorisConnectionGets408AtTheHeaderTimeoutWhileOthersAreServed() throws Exception {
        try (Socket slow = new Socket("127.0.0.1", west.httpPort("guarded"));
             Socket silent = new Socket("127.0.0.1", west.httpPort("guarded"))) {
            slow.setSoTimeout(10_000);
            silent.setSoTimeout(10_000);
            OutputStream out = slow.getOutputStream();
            out.write("GET /hello HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            // one header byte every 100 ms: the head never completes; the listener must not wait for ever
            Thread dripper = new Thread(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        out.write('a');
                        out.flush();
                        Thread.sleep(100);   // the slowloris pace is what is tested, not a synchronisation
                    }
                } catch (Exception closedByTheListener) {
                    // expected: the listener closed the connection
                }
            });
            dripper.start();
            assertThat(Curl.run(dir, url("guarded", "/hello")).out()).as("another client meanwhile").startsWith("hello from");
            String answer = TestServers.readUntilClosed(slow.getInputStream());
            double seconds = (System.nanoTime() - start) / 1e9;
            dripper.join(10_000);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("no complete request head within 1000 ms");
            assertThat(seconds).as("time until the slow sender was cut off").isBetween(0.9, 5.0);
            assertThat(new String(silent.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                .as("a connection that sends nothing").startsWith("HTTP/1.1 408");
        }
        assertThat(((Number) west.router.adaptors().get(ServiceType.HTTP_LISTENER, "guarded").status()
            .get("headerTimeouts")).longValue()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aKeepAliveConnectionIsTimedOnlyWhileItOwesNoResponse() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", west.httpPort("guarded"))) {
            socket.setSoTimeout(10_000);
            // the server takes 1.5 s, longer than the 1 s header timeout: a request under way is not timed
            socket.getOutputStream().write("GET /slow?ms=1500&n=1 HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
            String head = TestServers.readHead(socket.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void connectionsPastMaxConnectionsGet503UntilOneCloses() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket socket = new Socket("127.0.0.1", west.httpPort("small"));
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                held.add(socket);
                // admitted: answered by the server (the status is the server's business here), not refused
                assertThat(TestServers.readHead(socket.getInputStream())).startsWith("HTTP/1.1 ")
                    .doesNotStartWith("HTTP/1.1 503");
            }
            assertThat(rawExchange("small", "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"))
                .startsWith("HTTP/1.1 503").contains("too many connections");
            held.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).until(() -> !rawExchange("small",
                "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").contains("too many connections"));
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /** Writes {@code request} on a new connection to a listener and reads until the listener closes it. */
    private String rawExchange(String listener, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", west.httpPort(listener))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
